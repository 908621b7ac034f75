using System;

namespace Corpus;

// Loops over arrays with bounds the inputs choose: what bounds-check elimination and loop versioning
// must get right. Every out-of-range access must still throw IndexOutOfRangeException at the same
// iteration as .NET (after the same partial writes), whatever the start, end, step or offset.
public static class ArrayLoops
{
    public static long SumRangeInclusive(int[] a, int start, int end)
    {
        long s = 0;
        for (int i = start; i <= end; i++)
            s += a[i];
        return s;
    }

    public static int FillWithStride(int[] a, int start, int step)
    {
        step = (step & 7) + 1;
        int n = 0;
        for (int i = start; i < a.Length; i += step)
        {
            a[i] = i;
            n++;
        }
        return n;
    }

    public static long CountDownFrom(long[] a, int k)
    {
        long s = 0;
        for (int i = a.Length - k; i >= 0; i--)
            s = s * 3 + a[i];
        return s;
    }

    public static void CopyScaled(double[] source, double[] destination)
    {
        for (int i = 0; i < source.Length; i++)
            destination[i] = source[i] * 2; // destination shorter: throws after partial writes
    }

    public static int SumWithOffset(int[] a, int offset)
    {
        int s = 0;
        for (int i = 0; i < a.Length; i++)
            s += a[i + offset];
        return s;
    }

    public static int SumToExplicitBound(int[] a, int n)
    {
        int s = 0;
        for (int i = 0; i < n; i++)
            s += a[i];
        return s;
    }

    public static int ArraySwappedMidLoop(int[] a, int[] b)
    {
        int s = 0;
        int[] current = a;
        for (int i = 0; i < a.Length; i++)
        {
            if (i == 3)
                current = b;
            s += current[i];
        }
        return s;
    }

    public static void WriteBoth(float[] x, float[] y, int n)
    {
        n &= 63;
        for (int i = 0; i < n; i++)
        {
            x[i] = i;
            y[i] = -i;
        }
    }

    public static long LongIndex(long[] a, long index) => a[index];
    public static byte NIntIndex(byte[] a, nint index) => a[index];
    public static ushort UIntIndex(ushort[] a, uint index) => a[index];

    public static long LongIndexLoop(int[] a, long from)
    {
        long s = 0;
        for (long i = from; i < a.Length; i++)
            s += a[i];
        return s;
    }

    public static int NestedTriangle(int[] a, int rows)
    {
        rows &= 15;
        int s = 0;
        for (int r = 0; r < rows; r++)
            for (int c = 0; c <= r; c++)
                s += a[r * (r + 1) / 2 + c];
        return s;
    }

    public static int WhileWithIndexChangedInBody(int[] a, int start)
    {
        int i = start, s = 0, guard = 0;
        while (i < a.Length && guard++ < 100)
        {
            s += a[i];
            i += a[i] & 3;
            i++;
        }
        return s;
    }

    public static int UnsignedLoopBound(int[] a, uint n)
    {
        int s = 0;
        for (uint i = 0; i < n && i < 64; i++)
            s += a[i];
        return s;
    }

    public static void InPlaceStencil(double[] a)
    {
        for (int i = 1; i < a.Length - 1; i++)
            a[i] = (a[i - 1] + a[i] + a[i + 1]) / 3;
    }

    public static int[] Gather(int[] values, int[] indexes)
    {
        var r = new int[indexes.Length];
        for (int i = 0; i < indexes.Length; i++)
            r[i] = values[indexes[i] & 0x7fffffff];
        return r;
    }

    public static void Scatter(int[] target, int[] indexes, int value)
    {
        for (int i = 0; i < indexes.Length; i++)
            target[indexes[i] & 31] = value + i;
    }
}
