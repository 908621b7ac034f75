using System;
using Targets;
using System.Threading;

namespace Corpus;

// Atomic read-modify-write of array elements: the value before, bounds and null checks as a[i].
public static class Atomics
{
    public static int AddInt(int[] a, int i, int v) => Atomic.Add(a, i, v) * 31 + a[i];

    public static long AddLong(long[] a, int i, long v) => Atomic.Add(a, i, v) ^ a[i];

    public static uint AddUInt(uint[] a, int i, uint v) => Atomic.Add(a, i, v) + a[i] * 7;

    public static double AddDouble(double[] a, int i, double v) => Atomic.Add(a, i, v) - a[i];

    public static float AddFloat(float[] a, int i, float v) => Atomic.Add(a, i, v) * 2 + a[i];

    public static int MinMaxInt(int[] a, int i, int v) => Atomic.Min(a, i, v) + 3 * Atomic.Max(a, i, v ^ 5) + a[i];

    public static long MinMaxLong(long[] a, int i, long v) => Atomic.Max(a, i, v) - Atomic.Min(a, i, v / 3) * 5 + a[i];

    public static uint MinMaxUInt(uint[] a, int i, uint v) => Atomic.Min(a, i, v) ^ Atomic.Max(a, i, v >> 1) + a[i];

    public static double ExchangeDouble(double[] a, int i, double v) => Atomic.Exchange(a, i, v) + a[i] * 0.5;

    public static int ExchangeInt(int[] a, int i, int v) => Atomic.Exchange(a, i, v) - a[i];

    public static int CompareExchangeInt(int[] a, int i, int v)
    {
        int before = Atomic.CompareExchange(a, i, v, 0);
        int again = Atomic.CompareExchange(a, i, v + 1, before);
        return before * 17 + again + a[i];
    }

    public static long CompareExchangeLong(long[] a, int i, long v) => Atomic.CompareExchange(a, i, v, a[i]) + a[i];

    // A histogram: the update a loop (or a Prange loop, or a kernel) makes with atomics.
    public static int Histogram(int[] values, int[] bins)
    {
        int total = 0;
        for (int k = 0; k < values.Length; k++)
            total += Atomic.Add(bins, (values[k] & 0x7fffffff) % bins.Length, 1);
        return total;
    }
}

// System.Threading.Interlocked on array elements: Add and Increment/Decrement give the new value, Exchange and
// CompareExchange the old one; an index outside the array raises as ldelema does in .NET.
public static class Interlocks
{
    public static int AddAndIncrement(int[] a, int i, int v)
    {
        int added = Interlocked.Add(ref a[i], v);
        return added ^ Interlocked.Increment(ref a[i]) ^ Interlocked.Decrement(ref a[0]);
    }

    public static long ExchangeLong(long[] a, int i, long v) => Interlocked.Exchange(ref a[i], v) + a[i];

    public static int CompareExchangeInt(int[] a, int i, int v) => Interlocked.CompareExchange(ref a[i], v, 0) * 7 + a[i];

    public static double ExchangeDouble(double[] a, int i, double v) => Interlocked.CompareExchange(ref a[i], v, a[i]) + Interlocked.Exchange(ref a[i], -v);

    public static uint CountUnsigned(uint[] a, int n)
    {
        for (int k = 0; k < Math.Min(Math.Abs(n % 100), 100); k++)
            Interlocked.Increment(ref a[k % a.Length]);
        return a.Length == 0 ? 0 : a[0];
    }
}
