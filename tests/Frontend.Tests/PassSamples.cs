namespace Targets.Frontend.Tests;

/// <summary>C# the frontend pass tests import.</summary>
public static class PassSamples
{
    /// <summary>33 loops in a row, then a nest whose inner loop is the deepest: more than <c>MaxVersionedLoops</c> (32).</summary>
    public static void ManyLoops(int[] a, int[] b, int n)
    {
        for (int i0 = 0; i0 < a.Length; i0++) a[i0] = 0;
        for (int i1 = 0; i1 < a.Length; i1++) a[i1] = 1;
        for (int i2 = 0; i2 < a.Length; i2++) a[i2] = 2;
        for (int i3 = 0; i3 < a.Length; i3++) a[i3] = 3;
        for (int i4 = 0; i4 < a.Length; i4++) a[i4] = 4;
        for (int i5 = 0; i5 < a.Length; i5++) a[i5] = 5;
        for (int i6 = 0; i6 < a.Length; i6++) a[i6] = 6;
        for (int i7 = 0; i7 < a.Length; i7++) a[i7] = 7;
        for (int i8 = 0; i8 < a.Length; i8++) a[i8] = 8;
        for (int i9 = 0; i9 < a.Length; i9++) a[i9] = 9;
        for (int i10 = 0; i10 < a.Length; i10++) a[i10] = 10;
        for (int i11 = 0; i11 < a.Length; i11++) a[i11] = 11;
        for (int i12 = 0; i12 < a.Length; i12++) a[i12] = 12;
        for (int i13 = 0; i13 < a.Length; i13++) a[i13] = 13;
        for (int i14 = 0; i14 < a.Length; i14++) a[i14] = 14;
        for (int i15 = 0; i15 < a.Length; i15++) a[i15] = 15;
        for (int i16 = 0; i16 < a.Length; i16++) a[i16] = 16;
        for (int i17 = 0; i17 < a.Length; i17++) a[i17] = 17;
        for (int i18 = 0; i18 < a.Length; i18++) a[i18] = 18;
        for (int i19 = 0; i19 < a.Length; i19++) a[i19] = 19;
        for (int i20 = 0; i20 < a.Length; i20++) a[i20] = 20;
        for (int i21 = 0; i21 < a.Length; i21++) a[i21] = 21;
        for (int i22 = 0; i22 < a.Length; i22++) a[i22] = 22;
        for (int i23 = 0; i23 < a.Length; i23++) a[i23] = 23;
        for (int i24 = 0; i24 < a.Length; i24++) a[i24] = 24;
        for (int i25 = 0; i25 < a.Length; i25++) a[i25] = 25;
        for (int i26 = 0; i26 < a.Length; i26++) a[i26] = 26;
        for (int i27 = 0; i27 < a.Length; i27++) a[i27] = 27;
        for (int i28 = 0; i28 < a.Length; i28++) a[i28] = 28;
        for (int i29 = 0; i29 < a.Length; i29++) a[i29] = 29;
        for (int i30 = 0; i30 < a.Length; i30++) a[i30] = 30;
        for (int i31 = 0; i31 < a.Length; i31++) a[i31] = 31;
        for (int i32 = 0; i32 < a.Length; i32++) a[i32] = 32;
        for (int k = 0; k < n; k++)
        {
            for (int j = 0; j < b.Length; j++)
                b[j] = k + j;
        }
    }

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
