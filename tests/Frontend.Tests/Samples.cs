namespace Targets.Frontend.Tests;

// C# the frontend tests import. Lines marked "// <- unsupported" are where errors must point.
public static class Samples
{
    public static int Add(int a, int b) => a + b;

    public static int Pick(bool c, int a, int b) => a + (c ? b : 2);

    public static string Concat(int a) => "x" + a; // <- unsupported return

    public static int Boxing(int a)
    {
        object o = a; // <- unsupported box
        return o.GetHashCode();
    }

    public static int Virtual(int[] a)
    {
        return a.GetHashCode(); // <- unsupported callvirt
    }

    public static int CatchOfAnotherType(int a)
    {
        try { return 10 / a; }
        catch (TimeoutException) { return 0; } // <- unsupported catch
    }

    static int counter;

    public static int StaticField(int a)
    {
        counter += a; // <- unsupported static field
        return counter;
    }

    public static int Lambda(int a)
    {
        Func<int, int> f = x => x + a; // <- unsupported lambda
        return f(1);
    }

    public static int CallsUnsupported(int a) => Boxing(a) + 1;

    public static int Instance(Samples2 s) => 0;
}

public sealed class Samples2;
