using System;
using System.Collections.Generic;
using System.Linq;

namespace Corpus;

// C# outside the supported subset. Each method's offending statement carries a marker comment
// "<- unsupported: KEY"; UnsupportedTests finds the expected line by that marker, so the tests follow
// edits. Where a construct spans several IL instructions, they are kept on the marked line.
public static class Unsupported
{
    static int counter = 5;

    public static int StringOps(int a)
    {
        int x = a + 1;
        return ("abc" + x).Length; // <- unsupported: string
    }

    public static int Boxing(int a)
    {
        int x = a * 2;
        object o = x; return o.GetHashCode(); // <- unsupported: boxing
    }

    public static int VirtualCall(int[] a)
    {
        int n = a.Length;
        return a.GetHashCode() + n; // <- unsupported: virtual-call
    }

    public static int InterfaceCall(int[] a)
    {
        int n = a.Length;
        return ((ICollection<int>)a).Count + n; // <- unsupported: interface-call
    }

    public static int DelegateTwoFunctions(int a)
    {
        Func<int, int> f = Math.Abs;
        if (a > 0) f = static v => v * 2; // <- unsupported: delegate-two-functions
        return f(a);
    }

    public static int DelegateLambda(int a)
    {
        int x = a + 1;
        Func<int, int> f = null!; // <- unsupported: lambda-capture
        f = v => v <= 0 ? x : f(v - 1); return f(a & 7);
    }

    public static int Linq(int[] a)
    {
        int n = a.Length;
        return a.Sum() + n; // <- unsupported: linq
    }

    public static int CatchOfAnotherType(int a)
    {
        int r = 0;
        try { r = 100 / a; } catch (TimeoutException) { r = -1; } // <- unsupported: catch-other-type
        return r;
    }

    public static int ExceptionMember(int a)
    {
        int r = 0;
        try { r = 100 / a; }
        catch (DivideByZeroException e) { r = e.HResult; } // <- unsupported: exception-member
        return r;
    }

    public static int StaticFieldLoad(int a)
    {
        int x = a + 1;
        return counter + x; // <- unsupported: static-field-load
    }

    public static int StaticFieldStore(int a)
    {
        int x = a + 1;
        counter = x; // <- unsupported: static-field-store
        return x;
    }

    public static int ClassParameter(Box b) { return b.Value + 1; } // <- unsupported: class-parameter

    public static int StructWithString(Named n) { return n.Name.Length + n.Count; } // <- unsupported: struct-with-string

    public static int StructBoxing(int a)
    {
        var p = new Point2(a, a + 1);
        object o = p; return o.GetHashCode(); // <- unsupported: struct-boxing
    }

    public static int StructToString(int a)
    {
        var p = new Point2(a, 2);
        return p.ToString().Length; // <- unsupported: struct-tostring
    }

    public static int MisalignedStruct(int a)
    {
        var p = new Tight { Flag = 1, Value = a }; return (int)p.Value + p.Flag; // <- unsupported: misaligned-struct
    }

    public static float LibraryMemberOutsideTheSubset(float t)
    {
        var a = new System.Numerics.Vector3(t, 1, 2);
        return System.Numerics.Vector3.Lerp(a, System.Numerics.Vector3.One, t).X; // <- unsupported: library-member
    }

    public static int Decimal(int a)
    {
        decimal d = a; return (int)(d * 2); // <- unsupported: decimal
    }

    public static T GenericDefinition<T>(T value) { return value; } // an ArgumentException at Compile: see GenericsTests

    public static int NewObject(int a)
    {
        int x = a + 1;
        return new object().GetHashCode() + x; // <- unsupported: new-object
    }

    public static int ArrayCovariance(int a)
    {
        int x = a & 7;
        CovariantBase[] all = new CovariantDerived[x]; // <- unsupported: array-covariance
        return all.Length;
    }
}

[Targets.JitClass]
public class CovariantBase
{
    public int X;
}

[Targets.JitClass]
public sealed class CovariantDerived : CovariantBase;

public sealed class Box
{
    public int Value;
}

public struct Point2
{
    public int X;
    public int Y;

    public Point2(int x, int y)
    {
        X = x;
        Y = y;
    }
}

[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential, Pack = 1)]
public struct Tight
{
    public byte Flag;
    public double Value;
}

public struct Named
{
    public string Name;
    public int Count;
}

public sealed class Counter
{
    public int Count;

    public int Next(int step) { return Count + step; } // <- unsupported: instance-method
}

// async and iterator methods: the method a caller names is a stub without lines of its own, so these
// carry no marker; UnsupportedTests checks that the error still names a line inside the method.
public static class UnsupportedStateMachines
{
    public static async System.Threading.Tasks.Task<int> Async(int a)
    {
        await System.Threading.Tasks.Task.Yield();
        return a + 1;
    }

    public static IEnumerable<int> Iterator(int n)
    {
        for (int i = 0; i < n; i++)
            yield return i;
    }
}
