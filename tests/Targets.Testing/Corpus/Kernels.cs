using System;

namespace Corpus;

// Small realistic kernels mixing the families: checksums, numeric loops, parsing, statistics.
public static class Kernels
{
    public static uint Crc32(byte[] data)
    {
        uint crc = 0xffffffff;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xedb88320u : crc >> 1;
        }
        return ~crc;
    }

    public static uint Adler32(byte[] data)
    {
        uint a = 1, b = 0;
        for (int i = 0; i < data.Length; i++)
        {
            a = (a + data[i]) % 65521;
            b = (b + a) % 65521;
        }
        return (b << 16) | a;
    }

    public static int MandelbrotIterations(double cx, double cy)
    {
        double x = 0, y = 0;
        int i = 0;
        while (i < 200 && x * x + y * y <= 4)
        {
            double t = x * x - y * y + cx;
            y = 2 * x * y + cy;
            x = t;
            i++;
        }
        return i;
    }

    public static bool LuhnValid(char[] digits)
    {
        int sum = 0;
        bool doubleIt = false;
        for (int i = digits.Length - 1; i >= 0; i--)
        {
            char c = digits[i];
            if (c < '0' || c > '9')
                return false;
            int d = c - '0';
            if (doubleIt)
            {
                d *= 2;
                if (d > 9) d -= 9;
            }
            sum += d;
            doubleIt = !doubleIt;
        }
        return digits.Length > 0 && sum % 10 == 0;
    }

    public static int ParseInt32(char[] text)
    {
        if (text.Length == 0)
            throw new ArgumentException("empty input");
        int i = 0;
        bool negative = false;
        if (text[0] == '-')
        {
            negative = true;
            i = 1;
        }
        int value = 0;
        for (; i < text.Length; i++)
        {
            char c = text[i];
            if (c < '0' || c > '9')
                throw new ArgumentException("not a digit");
            value = checked(value * 10 - (c - '0'));
        }
        return negative ? value : checked(-value);
    }

    public static double KahanSum(double[] a)
    {
        double sum = 0, c = 0;
        foreach (double v in a)
        {
            double y = v - c;
            double t = sum + y;
            c = (t - sum) - y;
            sum = t;
        }
        return sum;
    }

    public static double Variance(double[] a)
    {
        if (a.Length < 2)
            return 0;
        double mean = 0;
        for (int i = 0; i < a.Length; i++)
            mean += a[i];
        mean /= a.Length;
        double s = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = a[i] - mean;
            s += d * d;
        }
        return s / (a.Length - 1);
    }

    public static double EvaluatePolynomial(double[] coefficients, double x)
    {
        double r = 0;
        for (int i = coefficients.Length - 1; i >= 0; i--)
            r = r * x + coefficients[i];
        return r;
    }

    public static float[] MatrixVector(float[,] m, float[] v)
    {
        int rows = m.GetLength(0), cols = m.GetLength(1);
        if (cols != v.Length)
            throw new ArgumentException("dimension mismatch");
        var r = new float[rows];
        for (int i = 0; i < rows; i++)
        {
            float s = 0;
            for (int j = 0; j < cols; j++)
                s += m[i, j] * v[j];
            r[i] = s;
        }
        return r;
    }

    public static int RunLengthCount(int[] a)
    {
        if (a.Length == 0)
            return 0;
        int runs = 1;
        for (int i = 1; i < a.Length; i++)
            if (a[i] != a[i - 1])
                runs++;
        return runs;
    }

    public static long MaxSubarraySum(int[] a)
    {
        long best = long.MinValue, current = 0;
        foreach (int v in a)
        {
            current = Math.Max(v, current + v);
            best = Math.Max(best, current);
        }
        return a.Length == 0 ? 0 : best;
    }

    public static int[] CountingSort(byte[] a)
    {
        var counts = new int[256];
        foreach (byte b in a)
            counts[b]++;
        var r = new int[a.Length];
        int k = 0;
        for (int v = 0; v < 256; v++)
            for (int c = 0; c < counts[v]; c++)
                r[k++] = v;
        return r;
    }

    public static double SimpsonIntegrateSin(double a, double b, int n)
    {
        n = ((n & 63) + 1) * 2;
        if (a != a || b != b)
            return 0;
        double h = (b - a) / n;
        double s = Math.Sin(a) + Math.Sin(b);
        for (int i = 1; i < n; i++)
            s += Math.Sin(a + i * h) * (i % 2 == 1 ? 4 : 2);
        return s * h / 3;
    }

    public static ulong Fnv1a64(char[] text)
    {
        ulong h = 14695981039346656037UL;
        foreach (char c in text)
        {
            h ^= c;
            h *= 1099511628211UL;
        }
        return h;
    }

    public static int LevenshteinDistance(char[] a, char[] b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
            }
        return d[a.Length, b.Length];
    }
}
