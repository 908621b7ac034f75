using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Corpus;

// MemoryMarshal and Unsafe where they stay memory-safe: Cast and AsBytes of spans over arrays from .NET, new arrays,
// parts of arrays, stackalloc and default spans (reads and writes through the view reach the array; a view returned
// from a helper keeps the array it views alive), lengths that drop a partial element, GetReference and
// GetArrayDataReference, Unsafe.Add/Subtract of an element's address within the array, Unsafe.As between numbers and
// Unsafe.SizeOf. (Unsafe.Add past an array's end, which reads outside memory in .NET, raises in compiled code:
// MemoryViewTests checks it, as it cannot be compared.)
public static class MemoryViews
{
    public static int SumOfBytes(int[] a)
    {
        int t = 0;
        foreach (byte b in MemoryMarshal.AsBytes(a.AsSpan()))
            t = t * 7 + b;
        return t;
    }

    public static long IntsOfBytes(byte[] a)
    {
        ReadOnlySpan<int> s = MemoryMarshal.Cast<byte, int>(a);
        long t = s.Length;
        for (int i = 0; i < s.Length; i++)
            t = t * 31 + s[i];
        return t;
    }

    public static int FlipSignsThroughBits(float[] a)
    {
        Span<uint> bits = MemoryMarshal.Cast<float, uint>(a.AsSpan());
        for (int i = 0; i < bits.Length; i++)
            bits[i] ^= 0x8000_0000u;
        return bits.Length;
    }

    public static long ShortsOfPart(byte[] a, int start)
    {
        Span<short> s = MemoryMarshal.Cast<byte, short>(a.AsSpan(start));
        long t = s.Length;
        foreach (short v in s)
            t = t * 3 + v;
        return t;
    }

    public static int IntsOfOddLongs(long[] a, int count)
    {
        if ((uint)count > (uint)a.Length)
            return -1;
        Span<int> halves = MemoryMarshal.Cast<long, int>(a.AsSpan(0, count));
        int t = halves.Length;
        for (int i = 0; i < halves.Length; i += 2)
            t ^= halves[i];
        return t;
    }

    public static int LongsOfInts(int[] a)
    {
        ReadOnlySpan<long> wide = MemoryMarshal.Cast<int, long>(a);
        int t = wide.Length;
        foreach (long v in wide)
            t = t * 5 + (int)(v >> 17);
        return t;
    }

    public static int BytesOfStackalloc(int n)
    {
        Span<int> s = stackalloc int[4];
        s[0] = n;
        Span<byte> bytes = MemoryMarshal.AsBytes(s);
        bytes[5] = (byte)(n >> 3);
        return s[1] + bytes[0] + bytes.Length;
    }

    public static int CastOfDefault(int n)
    {
        Span<int> none = default;
        return MemoryMarshal.Cast<int, byte>(none).Length + MemoryMarshal.AsBytes(none).Length + n;
    }

    [Helper]
    public static Span<byte> BytesOfFresh(int n)
    {
        int[] fresh = new int[n];
        for (int i = 0; i < n; i++)
            fresh[i] = i * 0x01010101;
        return MemoryMarshal.AsBytes(fresh.AsSpan());
    }

    public static int ViewOutlivesItsArray(int n)
    {
        if ((uint)n > 64)
            return -1;
        Span<byte> bytes = BytesOfFresh(n);
        int t = 0;
        foreach (byte b in bytes)
            t += b;
        return t * 100 + bytes.Length;
    }

    public static long PairsOfInts(int[] a)
    {
        Span<Point> points = MemoryMarshal.Cast<int, Point>(a.AsSpan());
        long t = points.Length;
        foreach (Point p in points)
            t = t * 3 + p.X - p.Y;
        if (points.Length > 0)
            points[0].Y = 77;
        return t;
    }

    public static long UnsafeAddSum(int[] a)
    {
        long t = 0;
        for (int i = 0; i < a.Length; i++)
            t += Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(a), i);
        return t;
    }

    public static int UnsafeAddWithin(int[] a, int i, int n)
    {
        if (a.Length == 0)
            return -1;
        int at = (int)((uint)i % (uint)a.Length), by = (int)((uint)n % (uint)(a.Length - at));
        return Unsafe.Add(ref a[at], by) + Unsafe.Subtract(ref a[at + by], by);
    }

    public static long UnsafeAddNative(long[] a, nint n)
    {
        if (a.Length == 0)
            return -1;
        nint by = (nint)((nuint)n % (nuint)a.Length);
        Unsafe.Add(ref a[0], by) += 1;
        return Unsafe.Add(ref a[0], by);
    }

    public static int SpanReference(int[] a, int start)
    {
        Span<int> s = a.AsSpan(start);
        if (s.IsEmpty)
            return -1;
        MemoryMarshal.GetReference(s) *= 2;
        return Unsafe.Add(ref MemoryMarshal.GetReference(s), s.Length - 1) + s[0];
    }

    public static int FloatBits(float x) => Unsafe.As<float, int>(ref x);

    public static long LowWordsOfDoubles(double[] a)
    {
        long t = 0;
        for (int i = 0; i < a.Length; i++)
        {
            ref uint low = ref Unsafe.As<double, uint>(ref a[i]);
            t += low;
            low ^= 1;
        }
        return t;
    }

    public static int SizesOf(int n) => Unsafe.SizeOf<Point>() * 10000 + Unsafe.SizeOf<Mixed>() * 100 + Unsafe.SizeOf<long>() + n;
}
