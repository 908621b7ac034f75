using System.Runtime.CompilerServices;

namespace Targets;

/// <summary>
/// Atomic read-modify-write of one array element, on every target: compiled code uses the
/// machine's atomic instructions (<c>atom.global</c> on cuda), .NET runs <see cref="Interlocked"/>.
/// Each returns the element's value before the operation, as CUDA's <c>atomicAdd</c> does. The
/// index is bounds-checked like <c>a[i]</c>. In a <see cref="Prange"/> loop or a kernel, these
/// are the way iterations may update the same element.
/// </summary>
public static class Atomic
{
    public static int Add(int[] array, int index, int value) => Interlocked.Add(ref Element(array, index), value) - value;
    public static long Add(long[] array, int index, long value) => Interlocked.Add(ref Element(array, index), value) - value;
    public static uint Add(uint[] array, int index, uint value) => Interlocked.Add(ref Element(array, index), value) - value;
    public static ulong Add(ulong[] array, int index, ulong value) => Interlocked.Add(ref Element(array, index), value) - value;
    public static float Add(float[] array, int index, float value) => Update(ref Element(array, index), old => old + value);
    public static double Add(double[] array, int index, double value) => Update(ref Element(array, index), old => old + value);

    public static int Min(int[] array, int index, int value) => Update(ref Element(array, index), old => Math.Min(old, value));
    public static long Min(long[] array, int index, long value) => Update(ref Element(array, index), old => Math.Min(old, value));
    public static uint Min(uint[] array, int index, uint value) => Update(ref Element(array, index), old => Math.Min(old, value));
    public static ulong Min(ulong[] array, int index, ulong value) => Update(ref Element(array, index), old => Math.Min(old, value));

    public static int Max(int[] array, int index, int value) => Update(ref Element(array, index), old => Math.Max(old, value));
    public static long Max(long[] array, int index, long value) => Update(ref Element(array, index), old => Math.Max(old, value));
    public static uint Max(uint[] array, int index, uint value) => Update(ref Element(array, index), old => Math.Max(old, value));
    public static ulong Max(ulong[] array, int index, ulong value) => Update(ref Element(array, index), old => Math.Max(old, value));

    public static int Exchange(int[] array, int index, int value) => Interlocked.Exchange(ref Element(array, index), value);
    public static long Exchange(long[] array, int index, long value) => Interlocked.Exchange(ref Element(array, index), value);
    public static float Exchange(float[] array, int index, float value) => Interlocked.Exchange(ref Element(array, index), value);
    public static double Exchange(double[] array, int index, double value) => Interlocked.Exchange(ref Element(array, index), value);

    /// <summary>Stores <paramref name="value"/> when the element equals <paramref name="comparand"/>; returns the element as it was.</summary>
    public static int CompareExchange(int[] array, int index, int value, int comparand) => Interlocked.CompareExchange(ref Element(array, index), value, comparand);

    /// <inheritdoc cref="CompareExchange(int[], int, int, int)"/>
    public static long CompareExchange(long[] array, int index, long value, long comparand) => Interlocked.CompareExchange(ref Element(array, index), value, comparand);

    /// <summary>The element, with the checks of <c>a[i]</c> (NullReferenceException, IndexOutOfRangeException), as compiled code makes them.</summary>
    static ref T Element<T>(T[] array, int index) => ref array[index];

    /// <summary>A compare-and-swap loop: what the hardware does for the operations .NET has no Interlocked method for.</summary>
    static T Update<T>(ref T element, Func<T, T> operation) where T : unmanaged
    {
        T seen = element;
        while (true)
        {
            T old = seen;
            seen = Interlocked.CompareExchange(ref element, operation(old), old);
            if (SameBits(seen, old)) // bitwise, as the hardware compares: -0.0 is not 0.0, and a NaN is itself
                return old;
        }
    }

    static bool SameBits<T>(T a, T b) where T : unmanaged =>
        Unsafe.SizeOf<T>() == 4 ? Unsafe.As<T, int>(ref a) == Unsafe.As<T, int>(ref b) : Unsafe.As<T, long>(ref a) == Unsafe.As<T, long>(ref b);
}
