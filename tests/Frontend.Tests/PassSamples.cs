namespace Targets.Frontend.Tests;

/// <summary>C# the frontend pass tests import.</summary>
public static class PassSamples
{
    public static void Fill(int[] a, int n, int offset)
    {
        for (int i = 0; i < n; i++)
            a[i + offset] = i;
    }

    public static long SumBy(int[] a, int step)
    {
        long s = 0;
        for (int i = 0; i < a.Length; i += step)
            s += a[i];
        return s;
    }

    static int Twice(int x) => x * 2;

    static int Clamped(int x) => x < 0 ? 0 : x;

    static int Countdown(int x) => x <= 0 ? 0 : Countdown(x - 1);

    public static int Helpers(int x) => Twice(x) + Clamped(x) + Countdown(x);

    public static double PrangeSum(double[] a, double scale)
    {
        double s = 0;
        foreach (int i in Prange.Range(a.Length))
            s += a[i] * scale;
        return s;
    }

    public static int PrangeStepped(int[] a)
    {
        int hits = 0;
        foreach (int i in Prange.Range(a.Length - 1, -1, -2))
        {
            a[i] = i;
            hits |= i;
        }
        return hits;
    }

    public static void Kernel(Index2D i, int[,] a) => a[i.X, i.Y] = i.X - i.Y;
}
