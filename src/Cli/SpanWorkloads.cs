using System.Runtime.CompilerServices;

namespace Targets.Cli;

/// <summary>
/// Spans, stackalloc and the array members compiled code runs from substitutes, against .NET running the same C#: a
/// sum over a <see cref="ReadOnlySpan{T}"/> (it should cost nothing over <see cref="Workloads.SumDirect"/>), a
/// histogram in a <c>stackalloc</c>'d span, and <see cref="Array.Sort{T}(T[])"/> of a million ints (introsort in
/// compiled code against .NET's own), and a count of one character over a string .NET lends the call (read in place).
/// </summary>
internal static class SpanWorkloads
{
    static double Total(ReadOnlySpan<double> s)
    {
        double t = 0;
        foreach (double v in s)
            t += v;
        return t;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double SumSpan(double[] x) => Total(x);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int Histogram(byte[] data)
    {
        Span<int> bins = stackalloc int[256];
        foreach (byte b in data)
            bins[b]++;
        int most = 0;
        for (int i = 1; i < bins.Length; i++)
        {
            if (bins[i] > bins[most])
                most = i;
        }
        return most * 1_000_000 + bins[most];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int CountChar(string text, char c)
    {
        int n = 0;
        foreach (char x in text)
        {
            if (x == c)
                n++;
        }
        return n;
    }

    /// <summary>Copies <paramref name="source"/> into <paramref name="scratch"/> and sorts it: the median.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int SortCopy(int[] source, int[] scratch)
    {
        source.AsSpan().CopyTo(scratch);
        Array.Sort(scratch);
        return scratch[scratch.Length / 2];
    }
}
