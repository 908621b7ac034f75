#pragma warning disable CA1051 // the sample classes are jit-class-shaped: public fields
#pragma warning disable CA1062 // samples are compiled, not called with null
namespace Targets.Runtime.Tests.Golden;

/// <summary>A class the golden tests' type context treats as a jit class (it knows no [JitClass]: Targets.Nrt comes before Targets.JitClass).</summary>
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

/// <summary>The C# behind the golden IR files (see GoldenIrTests): each is imported once, when the files are regenerated.</summary>
public static class GoldenSamples
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
}
