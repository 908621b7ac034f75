using System;
using System.Runtime.InteropServices;

namespace Corpus;

// User-defined structs: fields, constructors, operators, properties, readonly members, mutating
// methods called on a local, an array element, a field of another struct and a ref parameter (the
// 'this' byref), nested structs, generic instantiations, record structs and 'with', default, in/ref/
// out parameters, struct returns, 1-D and 2-D arrays of structs, and layouts with bool/char fields
// and explicit offsets. Entries take numbers and build their structs themselves.
public struct Vec3
{
    public double X, Y, Z;

    public Vec3(double x, double y, double z)
    {
        X = x;
        Y = y;
        Z = z;
    }

    public static Vec3 operator +(Vec3 a, Vec3 b) => new(a.X + b.X, a.Y + b.Y, a.Z + b.Z);
    public static Vec3 operator -(Vec3 a, Vec3 b) => new(a.X - b.X, a.Y - b.Y, a.Z - b.Z);
    public static Vec3 operator *(double s, Vec3 a) => new(s * a.X, s * a.Y, s * a.Z);
    public static Vec3 operator -(Vec3 a) => new(-a.X, -a.Y, -a.Z);

    public readonly double Dot(Vec3 other) => X * other.X + Y * other.Y + Z * other.Z;
    public readonly double LengthSquared => Dot(this);
    public readonly double Length => Math.Sqrt(LengthSquared);

    public void Scale(double s)
    {
        X *= s;
        Y *= s;
        Z *= s;
    }
}

public readonly struct Money
{
    public readonly long Cents;

    public Money(long cents) => Cents = cents;

    public static Money operator +(Money a, Money b) => new(a.Cents + b.Cents);
    public bool IsPositive => Cents > 0;
}

public struct Segment
{
    public Vec3 From;
    public Vec3 To;
    public int Tag;

    public readonly double Length => (To - From).Length;
}

public struct Pair<TFirst, TSecond>
{
    public TFirst First;
    public TSecond Second;
}

public record struct Point(int X, int Y)
{
    public readonly int Manhattan => Math.Abs(X) + Math.Abs(Y);
}

public struct Mixed
{
    public bool Flag;
    public char Letter;
    public byte Small;
    public int Count;
    public short Mid;
    public double Value;
}

[StructLayout(LayoutKind.Explicit)]
public struct Spaced
{
    [FieldOffset(0)] public int A;
    [FieldOffset(8)] public double B;
    [FieldOffset(16)] public short C;
}

[StructLayout(LayoutKind.Sequential, Size = 32)]
public struct Sized
{
    public int A;
    public int B;
}

public struct Counter
{
    public int Hits;

    public void Hit() => Hits++;
}

public static class Structs
{
    public static double Energy(int n, double scale)
    {
        n &= 63;
        var positions = new Vec3[n];
        for (int i = 0; i < n; i++)
            positions[i] = new Vec3(i, scale * i, i - scale);
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            positions[i].Scale(0.5); // mutates the element in place
            total += (2.0 * positions[i] + positions[0]).Length;
        }
        return total;
    }

    public static double Operators(double x, double y, double z)
    {
        var a = new Vec3(x, y, z);
        var b = new Vec3(z, x, y);
        Vec3 c = a + b - -a;
        return c.X * 3 + c.Y * 5 + c.Z * 7 + a.Dot(b);
    }

    public static double MutateLocal(double x, int times)
    {
        var v = new Vec3(x, x + 1, x + 2);
        for (int i = 0; i < (times & 15); i++)
            v.Scale(1.5);
        return v.LengthSquared;
    }

    public static double DefaultAndAssign(double x)
    {
        Vec3 v = default;
        double before = v.Length;
        v.Y = x;
        Vec3 copy = v; // a copy: changing v does not change it
        v.Y = 2 * x;
        return before + copy.Y + v.Y;
    }

    public static long ReadonlyStruct(long a, long b)
    {
        var m = new Money(a) + new Money(b);
        return m.IsPositive ? m.Cents : -m.Cents;
    }

    public static double Nested(double x, int tag)
    {
        var s = new Segment { From = new Vec3(x, 0, 0), To = new Vec3(0, x, 1), Tag = tag };
        s.To.Scale(2); // a mutating call on a field of a struct local
        s.From.X += 1;
        return s.Length + s.Tag + s.To.Y;
    }

    public static double GenericInstantiations(int a, float b, double c)
    {
        var p = new Pair<int, float> { First = a, Second = b };
        var q = new Pair<double, Pair<int, float>> { First = c, Second = p };
        q.Second.First += 1;
        return q.First + q.Second.First + q.Second.Second + p.First;
    }

    public static int RecordStruct(int x, int y)
    {
        var p = new Point(x & 0xFFFF, y & 0xFFFF);
        Point q = p with { Y = 3 };
        var (px, py) = q;
        return p.Manhattan * 7 + q.X + px * 3 + py;
    }

    [Helper]
    public static void Grow(ref Vec3 v, double by) => v.Scale(by);

    [Helper]
    public static double Sum(in Vec3 v) => v.X + v.Y + v.Z;

    [Helper]
    public static void Make(double x, out Vec3 v) => v = new Vec3(x, -x, x * x);

    public static double RefInOut(double x)
    {
        Make(x, out Vec3 v);
        Grow(ref v, 3);
        var array = new Vec3[2];
        array[1] = v;
        Grow(ref array[1], 2);
        return Sum(in v) + Sum(array[1]);
    }

    [Helper]
    public static Vec3 Centroid(Vec3[] points)
    {
        var sum = new Vec3();
        foreach (Vec3 p in points)
            sum = sum + p;
        return points.Length == 0 ? sum : (1.0 / points.Length) * sum;
    }

    public static double ReturnedByValue(double x, int n)
    {
        n &= 31;
        var points = new Vec3[n];
        for (int i = 0; i < n; i++)
            points[i] = new Vec3(x * i, i, -i);
        Vec3 c = Centroid(points);
        return c.X + 10 * c.Y + 100 * c.Z;
    }

    public static double TwoDimensional(int rows, int cols)
    {
        rows &= 7;
        cols &= 7;
        var grid = new Vec3[rows, cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                grid[r, c] = new Vec3(r, c, r * c);
        double total = 0;
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                total += grid[r, c].Length;
        return total;
    }

    public static double MixedLayout(bool flag, char letter, byte small, int count, short mid, double value)
    {
        var items = new Mixed[3];
        items[1] = new Mixed { Flag = flag, Letter = letter, Small = small, Count = count, Mid = mid, Value = value };
        items[2] = items[1];
        items[2].Count++;
        Mixed m = items[2];
        return (m.Flag ? 1 : 0) + m.Letter + m.Small * 3 + m.Count + m.Mid * 7 + m.Value + items[0].Count;
    }

    public static double ExplicitOffsets(int a, double b, short c)
    {
        var s = new Spaced { A = a, B = b, C = c };
        var array = new Spaced[2];
        array[1] = s;
        return array[1].A + array[1].B + array[1].C + array[0].B;
    }

    public static int ExplicitSize(int a, int b)
    {
        var array = new Sized[3];
        array[2] = new Sized { A = a, B = b };
        return array[2].A ^ array[2].B ^ array[1].A;
    }

    public static int CounterInArray(int n)
    {
        n &= 63;
        var counters = new Counter[4];
        for (int i = 0; i < n; i++)
            counters[i & 3].Hit();
        return counters[0].Hits * 1000 + counters[1].Hits * 100 + counters[2].Hits * 10 + counters[3].Hits;
    }

    public static double BoundsOfStructArray(int n, int i)
    {
        var points = new Vec3[n & 15];
        points[i].X = 1; // IndexOutOfRangeException as in .NET
        return points[i].X;
    }

    public static double StructsInLoopsAndBranches(double x, int n)
    {
        n &= 63;
        var best = new Vec3(double.MaxValue, 0, 0);
        for (int i = 0; i < n; i++)
        {
            var candidate = new Vec3(Math.Abs(x - i), i, x);
            best = candidate.X < best.X ? candidate : best;
        }
        return best.X + best.Y;
    }
}
