using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Targets.Cli;

/// <summary>
/// Deterministic inputs for <see cref="Workloads"/>, the same in <c>targets bench</c>, in
/// <c>bench/</c> and in the C reference (<c>bench/reference/matmul.c</c>), so results can be compared.
/// Values are small multiples of 1/4 so that sums stay exact for as long as possible.
/// </summary>
internal static class WorkloadData
{
    internal static double A(int i, int j, int n) => (i * n + j) % 7 * 0.5;

    internal static double B(int i, int j) => (i + 2 * j) % 5 * 0.25;

    internal static double[,] Matrix2D(int n, Func<int, int, double> value)
    {
        var m = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                m[i, j] = value(i, j);
        return m;
    }

    internal static double[] MatrixFlat(int n, Func<int, int, double> value)
    {
        var m = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                m[i * n + j] = value(i, j);
        return m;
    }

    /// <summary>A vector of <paramref name="length"/> values in [-1, 1).</summary>
    internal static double[] Vector(int length)
    {
        var x = new double[length];
        for (int i = 0; i < length; i++)
            x[i] = (i % 1000 - 500) / 500.0;
        return x;
    }

    /// <summary>The largest |x - y| / max(1, |y|) over two arrays (y the oracle); ∞ when shapes differ.</summary>
    internal static double MaxRelativeError(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length)
            return double.PositiveInfinity;
        double worst = 0;
        for (int i = 0; i < x.Length; i++)
            worst = Math.Max(worst, RelativeError(x[i], y[i]));
        return worst;
    }

    /// <summary>The elements of a 2-D array in row-major order, without a copy.</summary>
    internal static ReadOnlySpan<double> Elements(double[,] m) =>
        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<byte, double>(ref MemoryMarshal.GetArrayDataReference(m)), m.Length);

    internal static double RelativeError(double x, double y) =>
        x.Equals(y) ? 0 : Math.Abs(x - y) / Math.Max(1, Math.Abs(y));
}
