using System;
using Targets;

namespace Corpus;

// Prange loops over flat row-major arrays, written at affine indices (issue 44): the parallel target
// proves each iteration's elements disjoint from every other's (a[i * n + j] with j < n, a[2 * i + 1],
// flattened 3-D, stencils) and runs them across cores; cpu and cuda run them in order. Sizes come from
// the arrays' lengths, so every index stays in bounds and no iteration throws (after a throw, other
// chunks run on: their writes would differ from .NET's by design) — except HugeStride, whose
// iterations wrap around int and which the parallel target must run in order.
public static class AffineWrites
{
    static int Side(int length)
    {
        int n = 0;
        while ((n + 1) * (n + 1) <= length)
            n++;
        return n;
    }

    /// <summary>c = a·b over n×n matrices stored row by row.</summary>
    public static void MatMulFlat(double[] a, double[] b, double[] c)
    {
        int n = Side(Math.Min(Math.Min(a.Length, b.Length), c.Length));
        foreach (int i in Prange.Range(n))
        {
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int k = 0; k < n; k++)
                    s += a[i * n + k] * b[k * n + j];
                c[i * n + j] = s;
            }
        }
    }

    /// <summary>A row's start in a variable: a[row + j] with row = i * n, read and written through one ref.</summary>
    public static void DoubleRows(double[] a, int n)
    {
        n = (n & 7) + 1;
        int rows = a.Length / n;
        foreach (int i in Prange.Range(rows))
        {
            int row = i * n;
            for (int j = 0; j < n; j++)
                a[row + j] *= 2;
        }
    }

    public static void Interleave(int[] a, int x)
    {
        foreach (int i in Prange.Range(a.Length / 2))
        {
            a[2 * i] = i ^ x;
            a[2 * i + 1] = -i;
        }
    }

    public static void Fill3D(long[] v, int nx, int ny)
    {
        nx = (nx & 3) + 1;
        ny = (ny & 3) + 1;
        int nz = v.Length / (nx * ny);
        foreach (int i in Prange.Range(nx))
        {
            for (int j = 0; j < ny; j++)
            {
                for (int k = 0; k < nz; k++)
                    v[(i * ny + j) * nz + k] = i * 100 + j * 10 + k;
            }
        }
    }

    /// <summary>Interior points of an image w wide: dst[y * w + x] from src's neighbours.</summary>
    public static void Blur(float[] src, float[] dst, int w)
    {
        w = (w & 7) + 1;
        int h = Math.Min(src.Length, dst.Length) / w;
        foreach (int y in Prange.Range(1, h - 1))
        {
            for (int x = 1; x < w - 1; x++)
                dst[y * w + x] = src[y * w + x - 1] + src[y * w + x + 1] + src[(y - 1) * w + x] + src[(y + 1) * w + x];
        }
    }

    /// <summary>Rows in reverse (a negative stride), each read before it is written.</summary>
    public static void ReverseRows(int[] a, int n)
    {
        n = (n & 3) + 1;
        int rows = a.Length / n;
        foreach (int i in Prange.Range(rows))
        {
            for (int j = 0; j < n; j++)
                a[(rows - 1 - i) * n + j] = a[(rows - 1 - i) * n + j] * 3 + i;
        }
    }

    /// <summary>
    /// Row i at i·2³⁰: from five rows on, i·2³⁰ wraps around int back onto row 0's elements. .NET throws
    /// at row 1 (past the end); the parallel target must not run row 4 beside row 0, so it runs such a
    /// loop in order (its stride check before the parallel call), with .NET's exception and writes.
    /// </summary>
    public static int HugeStride(int[] a, int rows)
    {
        rows &= 7;
        foreach (int i in Prange.Range(rows))
        {
            for (int j = 0; j < 2; j++)
                a[i * 1073741824 + j] = i + 1;
        }
        return rows;
    }
}
