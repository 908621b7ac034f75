using System;

namespace Corpus;

// One-dimensional arrays of every element type: Length, loads and stores (ldelem/stelem of each
// width), ldelema through compound assignment and ++, bounds checks, ^1 indexing, foreach, new T[n]
// (negative n is an OverflowException), arrays returned to .NET, and in-place mutation.
public static class Arrays
{
    public static int Length(int[] a) => a.Length;
    public static long SumInt32(int[] a)
    {
        long s = 0;
        for (int i = 0; i < a.Length; i++)
            s += a[i];
        return s;
    }

    public static double SumDoubleForeach(double[] a)
    {
        double s = 0;
        foreach (double v in a)
            s += v;
        return s;
    }

    public static float SumSingle(float[] a)
    {
        float s = 0;
        foreach (var v in a)
            s += v;
        return s;
    }

    public static int SumSByte(sbyte[] a)
    {
        int s = 0;
        foreach (sbyte v in a) s += v;
        return s;
    }

    public static int SumByte(byte[] a)
    {
        int s = 0;
        foreach (byte v in a) s += v;
        return s;
    }

    public static int SumInt16(short[] a)
    {
        int s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i];
        return s;
    }

    public static int SumUInt16(ushort[] a)
    {
        int s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i];
        return s;
    }

    public static ulong XorUInt64(ulong[] a)
    {
        ulong x = 0;
        foreach (ulong v in a) x ^= v;
        return x;
    }

    public static uint SumUInt32(uint[] a)
    {
        uint s = 0;
        foreach (uint v in a) s += v;
        return s;
    }

    public static nint SumNInt(nint[] a)
    {
        nint s = 0;
        foreach (nint v in a) s += v;
        return s;
    }

    public static int CountVowels(char[] a)
    {
        int n = 0;
        foreach (char c in a)
            if (c is 'a' or 'e' or 'i' or 'o' or 'u')
                n++;
        return n;
    }

    public static int CountTrue(bool[] a)
    {
        int n = 0;
        foreach (bool b in a)
            if (b) n++;
        return n;
    }

    public static double DotProduct(double[] a, double[] b)
    {
        int n = Math.Min(a.Length, b.Length);
        double s = 0;
        for (int i = 0; i < n; i++)
            s += a[i] * b[i];
        return s;
    }

    public static float DotProductSingleStrict(float[] a, float[] b)
    {
        float s = 0;
        for (int i = 0; i < a.Length; i++)
            s += a[i] * b[i]; // b shorter than a: IndexOutOfRangeException
        return s;
    }

    public static void PrefixSumsInPlace(long[] a)
    {
        for (int i = 1; i < a.Length; i++)
            a[i] += a[i - 1];
    }

    public static void ReverseInPlace(int[] a)
    {
        for (int i = 0, j = a.Length - 1; i < j; i++, j--)
        {
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    public static void BubbleSortInPlace(int[] a)
    {
        for (int i = 0; i < a.Length; i++)
        {
            bool swapped = false;
            for (int j = 0; j + 1 < a.Length - i; j++)
            {
                if (a[j] > a[j + 1])
                {
                    (a[j], a[j + 1]) = (a[j + 1], a[j]);
                    swapped = true;
                }
            }
            if (!swapped)
                break;
        }
    }

    public static void InsertionSortDoubles(double[] a)
    {
        for (int i = 1; i < a.Length; i++)
        {
            double key = a[i];
            int j = i - 1;
            while (j >= 0 && a[j] > key)
            {
                a[j + 1] = a[j];
                j--;
            }
            a[j + 1] = key;
        }
    }

    public static int[] Histogram(byte[] data)
    {
        var counts = new int[256];
        foreach (byte b in data)
            counts[b]++;
        return counts;
    }

    public static int[] HistogramOfBuckets(double[] data, int buckets)
    {
        buckets = (buckets & 15) + 1;
        var h = new int[buckets];
        foreach (double d in data)
        {
            if (!(d >= 0 && d < 1))
                continue;
            h[(int)(d * buckets)] += 1;
        }
        return h;
    }

    public static bool[] PrimeSieve(int n)
    {
        n &= 1023;
        var composite = new bool[n + 1];
        var prime = new bool[n + 1];
        for (int i = 2; i <= n; i++)
        {
            if (composite[i])
                continue;
            prime[i] = true;
            for (int j = i * i; j <= n; j += i)
                composite[j] = true;
        }
        return prime;
    }

    public static int[] Range(int n)
    {
        var r = new int[n % 100]; // negative n: OverflowException
        for (int i = 0; i < r.Length; i++)
            r[i] = i * i;
        return r;
    }

    public static double[] MovingAverage(double[] a, int window)
    {
        window = (window & 7) + 1;
        if (a.Length < window)
            return new double[0];
        var r = new double[a.Length - window + 1];
        double s = 0;
        for (int i = 0; i < window; i++)
            s += a[i];
        r[0] = s / window;
        for (int i = window; i < a.Length; i++)
        {
            s += a[i] - a[i - window];
            r[i - window + 1] = s / window;
        }
        return r;
    }

    public static long[] CopyWithPrefixSums(long[] a)
    {
        var r = new long[a.Length];
        long s = 0;
        for (int i = 0; i < a.Length; i++)
        {
            s += a[i];
            r[i] = s;
        }
        return r;
    }

    public static int ElementAt(int[] a, int i) => a[i];
    public static void StoreAt(double[] a, int i, double v) => a[i] = v;
    public static char LastChar(char[] a) => a[^1];
    public static int IndexFromEnd(int[] a, int k) => a[^((k & 3) + 1)];

    public static int IndexOf(int[] a, int value)
    {
        for (int i = 0; i < a.Length; i++)
            if (a[i] == value)
                return i;
        return -1;
    }

    public static double MaxElement(double[] a)
    {
        if (a.Length == 0)
            throw new InvalidOperationException("empty array");
        double m = a[0];
        for (int i = 1; i < a.Length; i++)
            if (a[i] > m)
                m = a[i];
        return m;
    }

    public static void Axpy(float alpha, float[] x, float[] y)
    {
        int n = Math.Min(x.Length, y.Length);
        for (int i = 0; i < n; i++)
            y[i] += alpha * x[i];
    }

    public static void ScaleInPlace(double[] a, double k)
    {
        for (int i = 0; i < a.Length; i++)
            a[i] *= k;
    }

    public static void IncrementEveryElementType(byte[] b, sbyte[] s, ushort[] u, char[] c)
    {
        for (int i = 0; i < b.Length; i++) b[i]++;
        for (int i = 0; i < s.Length; i++) s[i]--;
        for (int i = 0; i < u.Length; i++) u[i] += 1000;
        for (int i = 0; i < c.Length; i++) c[i] += (char)1;
    }

    public static void CompoundOnWideElements(long[] l, ulong[] u, nint[] n, float[] f)
    {
        for (int i = 0; i < l.Length; i++) l[i] <<= 1;
        for (int i = 0; i < u.Length; i++) u[i] >>= 3;
        for (int i = 0; i < n.Length; i++) n[i] -= 7;
        for (int i = 0; i < f.Length; i++) f[i] /= 3f;
    }

    public static void RotateLeftInPlace(int[] a, int k)
    {
        if (a.Length == 0)
            return;
        k = (k & 0x7fffffff) % a.Length;
        for (int r = 0; r < k; r++)
        {
            int first = a[0];
            for (int i = 0; i + 1 < a.Length; i++)
                a[i] = a[i + 1];
            a[^1] = first;
        }
    }

    public static int CountDistinctSorted(int[] a)
    {
        BubbleSortInPlace(a);
        int n = a.Length == 0 ? 0 : 1;
        for (int i = 1; i < a.Length; i++)
            if (a[i] != a[i - 1])
                n++;
        return n;
    }

    public static int BinarySearch(int[] sortedOrNot, int key)
    {
        int lo = 0, hi = sortedOrNot.Length - 1;
        while (lo <= hi)
        {
            int mid = lo + (hi - lo) / 2;
            int v = sortedOrNot[mid];
            if (v == key) return mid;
            if (v < key) lo = mid + 1;
            else hi = mid - 1;
        }
        return ~lo;
    }

    public static double[] ElementwiseMax(double[] a, double[] b)
    {
        var r = new double[Math.Min(a.Length, b.Length)];
        for (int i = 0; i < r.Length; i++)
            r[i] = Math.Max(a[i], b[i]);
        return r;
    }

    public static ushort[] Widen(byte[] a)
    {
        var r = new ushort[a.Length];
        for (int i = 0; i < a.Length; i++)
            r[i] = (ushort)(a[i] * 257);
        return r;
    }

    public static float[] ToSingles(int[] a)
    {
        var r = new float[a.Length];
        for (int i = 0; i < a.Length; i++)
            r[i] = a[i];
        return r;
    }

    public static char[] Caesar(char[] text, int shift)
    {
        shift = ((shift % 26) + 26) % 26;
        var r = new char[text.Length];
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            r[i] = c is >= 'a' and <= 'z' ? (char)('a' + (c - 'a' + shift) % 26) : c;
        }
        return r;
    }

    public static int RefLocalToElement(int[] a)
    {
        if (a.Length == 0)
            return 0;
        ref int first = ref a[0];
        first += 5;
        first *= 2;
        return a[0];
    }

    public static int EmptyArrayLength() => new long[0].Length;
    public static int FreshArrayIsZeroed(int n)
    {
        var a = new double[(n & 31) + 1];
        int zeros = 0;
        foreach (double d in a)
            if (BitConverterFree(d))
                zeros++;
        return zeros;
    }

    [Helper]
    public static bool BitConverterFree(double d) => d == 0 && 1 / d > 0;
}
