using System;

namespace Corpus;

// Rectangular arrays T[,]: GetLength, Length, element get/set/address (compound assignment), bounds
// checks on both indices, new T[a, b], and 2-D arrays returned to .NET.
public static class Arrays2D
{
    public static int Rows(int[,] m) => m.GetLength(0);
    public static long LongLengths(int[,] m, double[] v) => m.LongLength * 1000 + v.LongLength;

    public static int TotalLength(double[,] m) => m.Length + m.GetLength(1) * 1000;

    public static double Sum(double[,] m)
    {
        double s = 0;
        for (int i = 0; i < m.GetLength(0); i++)
            for (int j = 0; j < m.GetLength(1); j++)
                s += m[i, j];
        return s;
    }

    public static long SumForeach(int[,] m)
    {
        long s = 0;
        foreach (int v in m)
            s += v;
        return s;
    }

    public static double[,] MatrixMultiply(double[,] a, double[,] b)
    {
        int n = a.GetLength(0), k = a.GetLength(1), m = b.GetLength(1);
        if (b.GetLength(0) != k)
            throw new ArgumentException("inner dimensions differ");
        var c = new double[n, m];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++)
                    s += a[i, p] * b[p, j];
                c[i, j] = s;
            }
        return c;
    }

    public static int[,] Transpose(int[,] m)
    {
        var t = new int[m.GetLength(1), m.GetLength(0)];
        for (int i = 0; i < m.GetLength(0); i++)
            for (int j = 0; j < m.GetLength(1); j++)
                t[j, i] = m[i, j];
        return t;
    }

    public static double Trace(double[,] m)
    {
        int n = Math.Min(m.GetLength(0), m.GetLength(1));
        double t = 0;
        for (int i = 0; i < n; i++)
            t += m[i, i];
        return t;
    }

    public static float[] RowSums(float[,] m)
    {
        var r = new float[m.GetLength(0)];
        for (int i = 0; i < m.GetLength(0); i++)
            for (int j = 0; j < m.GetLength(1); j++)
                r[i] += m[i, j];
        return r;
    }

    public static void ThresholdInPlace(byte[,] image, byte level)
    {
        for (int i = 0; i < image.GetLength(0); i++)
            for (int j = 0; j < image.GetLength(1); j++)
                image[i, j] = image[i, j] >= level ? (byte)255 : (byte)0;
    }

    public static void IncrementAll(long[,] m)
    {
        for (int i = 0; i < m.GetLength(0); i++)
            for (int j = 0; j < m.GetLength(1); j++)
            {
                m[i, j]++;
                m[i, j] *= 3;
            }
    }

    public static int ElementAt(int[,] m, int i, int j) => m[i, j];
    public static void StoreAt(double[,] m, int i, int j, double v) => m[i, j] = v;

    public static int[,] Identity(int n)
    {
        n &= 15;
        var m = new int[n, n];
        for (int i = 0; i < n; i++)
            m[i, i] = 1;
        return m;
    }

    public static long[,] MultiplicationTable(int rows, int cols)
    {
        var t = new long[(rows & 7) + 1, (cols & 7) + 1];
        for (int i = 0; i < t.GetLength(0); i++)
            for (int j = 0; j < t.GetLength(1); j++)
                t[i, j] = (long)(i + 1) * (j + 1);
        return t;
    }

    public static int[,] NegativeDimension(int rows) => new int[rows % 4, 2];

    public static double MaxAbsColumnSum(double[,] m)
    {
        double best = 0;
        for (int j = 0; j < m.GetLength(1); j++)
        {
            double s = 0;
            for (int i = 0; i < m.GetLength(0); i++)
                s += Math.Abs(m[i, j]);
            best = Math.Max(best, s);
        }
        return best;
    }

    public static int CountGreaterThan(short[,] m, short v)
    {
        int n = 0;
        foreach (short x in m)
            if (x > v)
                n++;
        return n;
    }

    public static void Laplacian(double[,] input, double[,] output)
    {
        int rows = Math.Min(input.GetLength(0), output.GetLength(0));
        int cols = Math.Min(input.GetLength(1), output.GetLength(1));
        for (int i = 1; i + 1 < rows; i++)
            for (int j = 1; j + 1 < cols; j++)
                output[i, j] = input[i - 1, j] + input[i + 1, j] + input[i, j - 1] + input[i, j + 1] - 4 * input[i, j];
    }
}
