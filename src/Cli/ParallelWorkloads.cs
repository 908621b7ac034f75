using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Targets.Cli;

/// <summary>
/// The workloads with a parallel form: Prange loops and kernels that .NET runs in order (the
/// oracle and baseline) and every target compiles, and the same work written with .NET's
/// <c>Parallel.For</c>, the figure the parallel target must beat.
/// </summary>
internal static class ParallelWorkloads
{
    /// <summary>c += a·b on <c>double[,]</c>, rows of c in parallel (the race check accepts <c>c[i, j]</c> with i the loop variable).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void MatMul(double[,] a, double[,] b, double[,] c, int n)
    {
        foreach (int i in Prange.Range(n))
            for (int k = 0; k < n; k++)
            {
                double aik = a[i, k];
                for (int j = 0; j < n; j++)
                    c[i, j] += aik * b[k, j];
            }
    }

    /// <summary>
    /// c += a·b on row-major <c>double[]</c>, rows of c in parallel: the race check proves
    /// <c>c[i * n + j]</c> with <c>j &lt; n</c> is row i's own (issue 44).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void MatMulFlat(double[] a, double[] b, double[] c, int n)
    {
        foreach (int i in Prange.Range(n))
            for (int k = 0; k < n; k++)
            {
                double aik = a[i * n + k];
                for (int j = 0; j < n; j++)
                    c[i * n + j] += aik * b[k * n + j];
            }
    }

    internal static void MatMulFlatNet(double[] a, double[] b, double[] c, int n) =>
        System.Threading.Tasks.Parallel.For(0, n, i =>
        {
            for (int k = 0; k < n; k++)
            {
                double aik = a[i * n + k];
                for (int j = 0; j < n; j++)
                    c[i * n + j] += aik * b[k * n + j];
            }
        });

    internal static void MatMulNet(double[,] a, double[,] b, double[,] c, int n) =>
        System.Threading.Tasks.Parallel.For(0, n, i =>
        {
            for (int k = 0; k < n; k++)
            {
                double aik = a[i, k];
                for (int j = 0; j < n; j++)
                    c[i, j] += aik * b[k, j];
            }
        });

    /// <summary>Escape times of a size×size grid over [-2, 0.5]×[-1.25, 1.25]; rows in parallel (uneven: the set's rows take longest).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Mandelbrot(int size, int limit, int[] counts)
    {
        foreach (int y in Prange.Range(size))
            MandelbrotRow(y, size, limit, counts);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void MandelbrotRow(int y, int size, int limit, int[] counts)
    {
        double ci = -1.25 + 2.5 * y / size;
        for (int x = 0; x < size; x++)
        {
            double cr = -2.0 + 2.5 * x / size, zr = 0, zi = 0;
            int n = 0;
            while (n < limit && zr * zr + zi * zi <= 4.0)
            {
                double t = zr * zr - zi * zi + cr;
                zi = 2.0 * zr * zi + ci;
                zr = t;
                n++;
            }
            counts[y * size + x] = n;
        }
    }

    internal static void MandelbrotNet(int size, int limit, int[] counts) =>
        System.Threading.Tasks.Parallel.For(0, size, y => MandelbrotRow(y, size, limit, counts));

    /// <summary>Σ x[i]², a Prange reduction (chunks add in their own order).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double SumOfSquares(double[] x)
    {
        double sum = 0;
        foreach (int i in Prange.Range(x.Length))
            sum += x[i] * x[i];
        return sum;
    }

    /// <summary>.NET's idiom for a parallel sum: ranges of the array, a partial sum per range, combined under a lock.</summary>
    internal static double SumOfSquaresNet(double[] x)
    {
        double total = 0;
        object gate = new();
        System.Threading.Tasks.Parallel.ForEach(Partitioner.Create(0, x.Length), () => 0.0, (range, _, partial) =>
        {
            for (int i = range.Item1; i < range.Item2; i++)
                partial += x[i] * x[i];
            return partial;
        }, partial =>
        {
            lock (gate)
                total += partial;
        });
        return total;
    }

    /// <summary>y = a·x + y, one element per work item.</summary>
    internal static void Saxpy(Index1D i, float a, float[] x, float[] y) => y[i] = a * x[i] + y[i];

    internal static void SaxpyLoop(float a, float[] x, float[] y)
    {
        for (int i = 0; i < y.Length; i++)
            Saxpy(new Index1D(i), a, x, y);
    }

    internal static void SaxpyNet(float a, float[] x, float[] y) =>
        System.Threading.Tasks.Parallel.ForEach(Partitioner.Create(0, y.Length), range =>
        {
            for (int i = range.Item1; i < range.Item2; i++)
                y[i] = a * x[i] + y[i];
        });

    /// <summary>A kernel that does nothing: what a launch itself costs.</summary>
    internal static void Nothing(Index1D i, int[] a)
    {
    }
}
