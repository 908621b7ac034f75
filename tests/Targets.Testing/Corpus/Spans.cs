using System;

namespace Corpus;

// Span<T> and ReadOnlySpan<T> over arrays, parts of arrays and stackalloc: creation with .NET's checks (a null array
// makes an empty span; a part outside raises ArgumentOutOfRangeException), the indexer (IndexOutOfRangeException past
// the span's end, even where the array goes on), Length, IsEmpty, Slice and ranges, foreach, spans passed to and
// returned from helpers, CopyTo (overlapping parts of one array), Fill, Clear, ToArray, IndexOf, LastIndexOf,
// Contains, SequenceEqual (NaN equals NaN, as double.Equals), Reverse and Sort of integers; stackalloc of constant
// and variable length (zeroed), in loops, of structs. (A stackalloc past the stack's end, a negative length
// included, ends .NET's process: StackAllocationTests checks that ours ends the same way, in a child process.)
public static class Spans
{
    static double Total(ReadOnlySpan<double> s)
    {
        double t = 0;
        foreach (double v in s)
            t += v;
        return t;
    }

    public static double SumInner(double[] a) => a.Length < 2 ? -1 : Total(a.AsSpan(1, a.Length - 2));

    public static double SumWhole(double[] a) => Total(a);

    public static double SumFrom(double[] a, int start) => Total(a.AsSpan(start));

    public static double SumPart(double[] a, int start, int length) => Total(new ReadOnlySpan<double>(a, start, length));

    public static int LengthOfNull(int start) => new Span<int>(null, 0, 0).Length + (start == 0 ? new Span<int>(null).Length : new Span<int>(null, start, 0).Length);

    public static int IndexPastTheSpan(int[] a, int i)
    {
        Span<int> s = a.AsSpan(0, a.Length / 2);
        return s[i];
    }

    public static int WriteThroughSpan(int[] a, int v)
    {
        Span<int> s = a;
        for (int i = 0; i < s.Length; i++)
            s[i] = s[i] * 3 + v;
        return s.IsEmpty ? -1 : s[^1];
    }

    public static long SliceAndRange(long[] a, int from, int count)
    {
        Span<long> s = a.AsSpan();
        Span<long> part = s.Slice(from, count);
        long t = 0;
        foreach (long v in part[1..])
            t += v;
        return t + part.Slice(count / 2).Length;
    }

    public static int Ranges(int[] a)
    {
        if (a.Length < 4)
            return a.Length;
        ReadOnlySpan<int> s = a;
        int t = 0;
        foreach (int v in s[1..^1])
            t += v;
        return t + s[..2][1] + s[^2..].Length;
    }

    static Span<int> Middle(int[] a) => a.AsSpan(a.Length / 4, a.Length / 2);

    public static int ReturnedSpan(int[] a)
    {
        Span<int> m = Middle(a);
        m.Fill(7);
        return m.Length * 100 + (a.Length == 0 ? 0 : a[a.Length / 2]);
    }

    public static int CopyOverlapping(int[] a, int shift)
    {
        if (a.Length < 8)
            return -1;
        int s = Math.Abs(shift % 4);
        a.AsSpan(0, a.Length - 4).CopyTo(a.AsSpan(s));
        return a[a.Length - 1];
    }

    public static int CopyIntoShorter(int[] a, int[] b)
    {
        a.AsSpan().CopyTo(b);
        return b.Length == 0 ? 0 : b[0];
    }

    public static bool TryCopy(double[] a, double[] b) => a.AsSpan().TryCopyTo(b);

    public static int ClearPart(int[] a, int from)
    {
        a.AsSpan(from).Clear();
        return a.Length;
    }

    public static int[] ToArrayOfPart(int[] a) => a.Length < 3 ? a.AsSpan().ToArray() : a.AsSpan(1, a.Length - 2).ToArray();

    public static int Search(int[] a, int v) => a.AsSpan().IndexOf(v) * 1000 + a.AsSpan().LastIndexOf(v) + (a.AsSpan().Contains(v + 1) ? 1_000_000 : 0);

    public static int SearchDouble(double[] a, double v) => a.AsSpan().IndexOf(v) + (((ReadOnlySpan<double>)a).Contains(double.NaN) ? 100 : 0);

    public static bool EqualParts(double[] a, double[] b) => a.AsSpan(0, Math.Min(a.Length, b.Length)).SequenceEqual(b.AsSpan(0, Math.Min(a.Length, b.Length)));

    public static bool EqualWholes(int[] a, int[] b) => ((ReadOnlySpan<int>)a).SequenceEqual(b);

    public static int ReverseAll(int[] a)
    {
        a.AsSpan().Reverse();
        return a.Length == 0 ? 0 : a[0];
    }

    public static int SortInts(int[] a)
    {
        a.AsSpan().Sort();
        return a.Length == 0 ? 0 : a[a.Length / 2];
    }

    public static long SortLongPart(long[] a, int from)
    {
        Span<long> s = a.AsSpan(Math.Clamp(from, 0, a.Length));
        s.Sort();
        return s.IsEmpty ? 0 : s[0];
    }

    public static int Histogram(byte[] d)
    {
        Span<int> bins = stackalloc int[16];
        foreach (byte b in d)
            bins[b & 15]++;
        int m = 0;
        for (int i = 0; i < bins.Length; i++)
            m = Math.Max(m, bins[i] * 16 + i);
        return m;
    }

    public static double VariableStack(int n)
    {
        Span<double> s = stackalloc double[Math.Clamp(n, 0, 4096)];
        double t = 0;
        for (int i = 0; i < s.Length; i++)
        {
            t += s[i]; // zeroed
            s[i] = i * 0.5;
        }
        return t + Total(s);
    }

    public static int StackInLoop(int n)
    {
        int t = 0;
        for (int k = 0; k < Math.Min(Math.Abs(n % 64), 64); k++)
        {
            Span<int> s = stackalloc int[4];
            s[k & 3] = k;
            t += s[0] + s[1] + s[2] + s[3];
        }
        return t;
    }

    public static double StackOfStructs(double x)
    {
        Span<Vec3> s = stackalloc Vec3[3];
        s[0] = new Vec3(x, 1, 2);
        s[1].X = x * 2;
        s[2] = s[0] + s[1];
        return s[2].X + s[2].Y;
    }

    public static int EmptySpans(int n)
    {
        Span<int> e = Span<int>.Empty;
        ReadOnlySpan<int> r = default;
        return e.Length + r.Length + (e.IsEmpty ? 1 : 0) + (n > 0 && r.IsEmpty ? 2 : 0);
    }

    public static double SpanOfStructs(double[] xs)
    {
        var points = new Vec3[xs.Length];
        for (int i = 0; i < xs.Length; i++)
            points[i] = new Vec3(xs[i], i, -i);
        Span<Vec3> s = points;
        double t = 0;
        foreach (ref Vec3 p in s)
            p.Scale(2);
        foreach (Vec3 p in s)
            t += p.X + p.Y;
        return t;
    }

    public static int SpanOverNewArray(int n)
    {
        Span<int> s = new int[Math.Clamp(n, 0, 100)];
        for (int i = 0; i < s.Length; i++)
            s[i] = i;
        return s.Length == 0 ? -1 : s[^1];
    }
}

// Array members compiled code runs from its substitutes: Fill, Clear, IndexOf, LastIndexOf (NaN found, as
// double.Equals finds it), Reverse, Sort of integers, Resize of a variable; a null array raises ArgumentNullException
// naming 'array'. Buffer.BlockCopy moves bytes between arrays of numbers after .NET's checks.
public static class ArrayMembers
{
    public static int FillAll(int[] a, int v)
    {
        Array.Fill(a, v);
        return a.Length;
    }

    public static double ClearAll(double[] a)
    {
        Array.Clear(a);
        return a.Length;
    }

    public static int FindInts(int[] a, int v) => Array.IndexOf(a, v) * 1000 + Array.LastIndexOf(a, v);

    public static int FindDoubles(double[] a, double v) => Array.IndexOf(a, v) + Array.IndexOf(a, double.NaN) * 100;

    public static int ReverseInts(int[] a)
    {
        Array.Reverse(a);
        return a.Length == 0 ? -1 : a[0];
    }

    public static long SortLongs(long[] a)
    {
        Array.Sort(a);
        return a.Length == 0 ? -1 : a[a.Length - 1];
    }

    public static int SortBytes(byte[] a)
    {
        Array.Sort(a);
        return a.Length == 0 ? -1 : a[a.Length / 2];
    }

    public static int Median(int[] a)
    {
        var c = new int[a.Length];
        a.AsSpan().CopyTo(c);
        Array.Sort(c);
        return c.Length == 0 ? 0 : c[c.Length / 2];
    }

    public static int NullArray(int n)
    {
        int[]? a = n > 0 ? null : new int[1];
        Array.Fill(a!, n);
        return a!.Length;
    }

    public static int MedianOfClone(int[] a)
    {
        var c = (int[])a.Clone();
        Array.Sort(c);
        return c.Length == 0 ? -1 : c[c.Length / 2] + (c == a ? 1 : 0);
    }

    public static double[] CloneDoubles(double[] a) => (double[])a.Clone();

    public static int CopyInto(int[] a, int[] b, int n)
    {
        Array.Copy(a, b, n);
        return b.Length == 0 ? -1 : b[0];
    }

    public static int CopyParts(long[] a, int from, int to, int n)
    {
        Array.Copy(a, from, a, to, n); // overlapping parts of one array: memmove's result
        return a.Length;
    }

    public static int CopyNull(int which, int n)
    {
        int[]? a = which == 1 ? null : new int[4], b = which == 2 ? null : new int[3];
        Array.Copy(a!, b!, n);
        return b!.Length;
    }

    public static int SearchInts(int[] a, int v)
    {
        Array.Sort(a);
        return Array.BinarySearch(a, v) * 100 + (a.Length < 2 ? 0 : Array.BinarySearch(a, 1, a.Length - 1, v));
    }

    public static int SearchDoubles(double[] a, double v, int index, int length) => Array.BinarySearch(a, index, length, v);

    // Array.Resize of a parameter and of a local (a null one made, the same array kept at its length, a negative size refused).
    public static int ResizeParameter(int[] a, int n)
    {
        Array.Resize(ref a, n & 31);
        int shorter = a.Length > 3 ? a.Length - 1 : a.Length; // a size computed with branches goes in a variable first
        Array.Resize(ref a, shorter);
        return a.Length * 1000 + (a.Length > 0 ? a[^1] : -1);
    }

    public static int ResizeLocal(int n)
    {
        int[]? a = null;
        int size = n < 0 ? n : n & 63; // negative sizes raise; large ones stay small
        Array.Resize(ref a, size);
        a[0] = 7;
        Array.Resize(ref a, size + 2);
        return a.Length * 10 + a[0] + a[^1];
    }

    // Buffer.BlockCopy: bytes between arrays of any numbers (within one array, overlapping, as memmove), .NET's checks and messages.
    public static long BlockCopyBytes(int[] a, int srcOffset, int dstOffset, int count)
    {
        var bytes = new byte[12];
        System.Buffer.BlockCopy(a, srcOffset, bytes, dstOffset & 15, count & 15);
        long h = 0;
        foreach (byte b in bytes)
            h = h * 31 + b;
        return h;
    }

    public static double BlockCopyWithin(double[] d, int srcOffset, int dstOffset)
    {
        System.Buffer.BlockCopy(d, srcOffset & 31, d, dstOffset & 31, 8);
        double s = 0;
        foreach (double x in d)
            s = s * 3 + x;
        return s;
    }

}

// Spans over the C# compiler's data blobs: ReadOnlySpan<byte> P => new byte[] { … } (a span at the blob's address)
// and ReadOnlySpan<T> of wider numbers (RuntimeHelpers.CreateSpan), read from the module's constant data.
public static class ConstantData
{
    static ReadOnlySpan<byte> PopCounts => [0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4];
    static ReadOnlySpan<int> Primes => [2, 3, 5, 7, 11, 13, 17, 19, 23, 29];
    static ReadOnlySpan<double> Weights => [0.5, -1.25, 3.0e10, double.NaN, -0.0];

    public static int Bits(int v) => PopCounts[v & 15] + PopCounts[(v >> 4) & 15];

    public static int Prime(int i) => Primes[i];

    public static double Weighted(double x)
    {
        double t = 0;
        foreach (double w in Weights)
            t += w * x;
        return t + Weights.Length;
    }

    public static int SumPrimesBelow(int n)
    {
        int t = 0;
        foreach (int p in Primes)
        {
            if (p < n)
                t += p;
        }
        return t + Primes.IndexOf(n);
    }
}

// static readonly arrays: the .NET array itself, read in compiled code (a lookup table, a table of structs, a span
// over one, a null one); writes into one are .NET's to see (StaticArrayTests: the corpus only reads, as both sides
// of a comparison share the array).
public static class StaticTables
{
    static readonly int[] Squares = [0, 1, 4, 9, 16, 25, 36, 49, 64, 81, 100, 121, 144, 169, 196, 225];
    static readonly double[] Coefficients = MakeCoefficients();
    static readonly Vec3[] Corners = [new(0, 0, 0), new(1, 0, 0), new(0, 1, 0), new(0, 0, 1)];
    static readonly long[]? Missing = null;

    static double[] MakeCoefficients()
    {
        var c = new double[9];
        for (int i = 0; i < c.Length; i++)
            c[i] = 1.0 / (i + 1);
        return c;
    }

    public static int Square(int i) => Squares[i & 15] + Squares.Length;

    public static int SquareUnmasked(int i) => Squares[i];

    public static double Polynomial(double x)
    {
        double s = 0;
        for (int i = Coefficients.Length - 1; i >= 0; i--)
            s = s * x + Coefficients[i];
        return s;
    }

    public static double Corner(int i, double s) => (s * Corners[i & 3]).X + Corners[(i + 1) & 3].Y;

    public static int SpanOverTable(int from) => ((ReadOnlySpan<int>)Squares).Slice(from & 15).IndexOf(81);

    public static int NullTable(int i) => Missing is null ? i : Missing.Length;
}
