#pragma warning disable CA1051 // the sample classes are jit-class-shaped: public fields
#pragma warning disable CA1062 // samples are compiled, not called with null
namespace Targets.Frontend.Tests.Golden;

/// <summary>A class the golden tests' type context treats as a jit class (it needs no [JitClass]: the context says which classes are).</summary>
public sealed class Cell
{
    public int Value;
    public Cell? Next;

    public Cell(int value, Cell? next)
    {
        Value = value;
        Next = next;
    }
}

/// <summary>The C# behind the generated golden IR files (see GoldenIrTests): each is imported when the files are regenerated.</summary>
public static partial class GoldenSamples
{
    public static double Sum(double[] a)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++)
            s += a[i];
        return s;
    }

    static int Twice(int x) => x * 2;

    public static int CallsTwice(int x) => Twice(x) + 1;

    public static double[] Replace(int n)
    {
        double[] a = new double[n];
        a = new double[n + 1];
        return a;
    }

    public static long Walk(int n)
    {
        Cell? head = null;
        for (int i = 0; i < n; i++)
            head = new Cell(i, head);
        long s = 0;
        for (Cell? p = head; p != null; p = p.Next)
            s += p.Value;
        return s;
    }

    /// <summary>The returned instance's incref pairs with the variable's release at exit.</summary>
    public static Cell Fresh(int v)
    {
        var node = new Cell(v, null);
        return node;
    }

    public static int First(double[] a, Cell c)
    {
        Cell keep = c;
        return keep.Value + a.Length;
    }

    public static double PrangeSum(double[] a, double scale)
    {
        double s = 0;
        foreach (int i in Prange.Range(a.Length))
            s += a[i] * scale;
        return s;
    }

    public static double Dots(double[] xs, double[] ys)
    {
        double s = 0;
        for (int i = 0; i < xs.Length; i++)
        {
            var p = new Point(xs[i], ys[i]);
            s += p.Dot(p);
        }
        return s;
    }

    /// <summary>A struct accumulated over a struct array: aggregates at the IR's head, members read and written through byrefs.</summary>
    public static double StructSum(Vec2[] points)
    {
        var sum = new Vec2(0, 0);
        for (int i = 0; i < points.Length; i++)
            sum = sum + points[i];
        return sum.Dot(sum);
    }
}

/// <summary>A jit class of numbers only: what device code may make (cuda's instances are immutable values).</summary>
public sealed class Point
{
    public readonly double X;
    public readonly double Y;

    public Point(double x, double y)
    {
        X = x;
        Y = y;
    }

    public double Dot(Point other) => X * other.X + Y * other.Y;
}

/// <summary>A struct of two numbers (an IR aggregate).</summary>
public struct Vec2
{
    public double X;
    public double Y;

    public Vec2(double x, double y)
    {
        X = x;
        Y = y;
    }

    public static Vec2 operator +(Vec2 a, Vec2 b) => new(a.X + b.X, a.Y + b.Y);

    public readonly double Dot(Vec2 other) => X * other.X + Y * other.Y;
}

/// <summary>A small hierarchy the golden tests' context treats as jit classes: a virtual call over it needs a dispatch.</summary>
public abstract class Figure
{
    public int Size;

    public abstract int Area();
}

public sealed class SquareFigure : Figure
{
    public override int Area() => Size * Size;
}

public sealed class LineFigure : Figure
{
    public override int Area() => 0;
}

public static partial class GoldenSamples
{
    /// <summary>A local of the base type that only holds a new square: its virtual calls go to the square's Area directly.</summary>
    public static int FreshArea(int n)
    {
        Figure f = new SquareFigure { Size = n };
        return f.Area() + f.Area();
    }
}
