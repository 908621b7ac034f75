using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Targets.Cpu.Tests;

/// <summary>MemoryMarshal and Unsafe code, including what compiled code refuses.</summary>
public static class MemoryCode
{
    public static int AddPast(int[] a, int n) => Unsafe.Add(ref a[0], n);

    public static int SubtractBefore(int[] a, int n) => Unsafe.Subtract(ref a[a.Length - 1], n);

    public static long AddNativePast(long[] a, nint n) => Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(a), n);

    public static int SumOfFreshBytes(int n)
    {
        Span<byte> bytes = MemoryMarshal.AsBytes(new int[n].AsSpan());
        for (int i = 0; i < bytes.Length; i++)
            bytes[i] = (byte)i;
        int t = 0;
        foreach (byte b in bytes)
            t += b;
        return t;
    }

    public static int ThroughALocal(int[] a, int n)
    {
        ref int first = ref a[0];
        int t = 0;
        for (int i = 0; i < n; i++)
            t += Unsafe.Add(ref first, i);
        return t;
    }

    public static int Wider(byte[] a) => Unsafe.As<byte, int>(ref a[0]);

    public static bool AsBool(byte[] a) => Unsafe.As<byte, bool>(ref a[0]);

    public static int ObjectAs(int[] a) => Unsafe.As<int[]>(a).Length;

    public static int Unaligned(byte[] a) => Unsafe.ReadUnaligned<int>(ref a[0]);
}

/// <summary>
/// MemoryMarshal.Cast's views keep the array they view alive and give back what they allocate; Unsafe.Add past an array's
/// ends raises IndexOutOfRangeException (in .NET it reads and writes outside the array); what cannot be kept
/// memory-safe is refused with the reason. The corpus's MemoryViews section checks the rest against .NET.
/// </summary>
[Collection(nameof(NrtSerial))]
public sealed class MemoryViewTests : NrtLeakCheck
{
    static readonly CpuTarget Cpu = new();

    [Fact]
    public void A_view_of_a_new_array_frees_both()
    {
        var sum = Cpu.Compile(MemoryCode.SumOfFreshBytes).AsDelegate<Func<int, int>>();
        NrtStats before = Nrt.GetAllocationStats();
        Assert.Equal(MemoryCode.SumOfFreshBytes(10), sum(10));
        Assert.Equal(MemoryCode.SumOfFreshBytes(0), sum(0));
        NrtStats after = Nrt.GetAllocationStats().Since(before);
        Assert.True(after.Alloc >= 2, $"expected the array and its view to be allocated, got {after.Alloc} allocations");
        Assert.Equal(after.Alloc, after.Free);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(3, 3)]
    [InlineData(4, null)]
    [InlineData(-1, null)]
    [InlineData(int.MaxValue, null)]
    [InlineData(int.MinValue, null)]
    public void Unsafe_Add_stays_inside_the_array(int n, int? expected)
    {
        int[] a = [0, 1, 2, 3];
        var add = Cpu.Compile(MemoryCode.AddPast).AsDelegate<Func<int[], int, int>>();
        var subtract = Cpu.Compile(MemoryCode.SubtractBefore).AsDelegate<Func<int[], int, int>>();
        if (expected is { } value)
        {
            Assert.Equal(value, add(a, n));
            Assert.Equal(3 - value, subtract(a, n));
        }
        else
        {
            Assert.Throws<IndexOutOfRangeException>(() => add(a, n));
            Assert.Throws<IndexOutOfRangeException>(() => subtract(a, n));
        }
    }

    [Fact]
    public void Unsafe_Add_of_a_native_offset_is_checked_in_64_bits()
    {
        var add = Cpu.Compile(MemoryCode.AddNativePast).AsDelegate<Func<long[], nint, long>>();
        long[] a = [5, 6];
        Assert.Equal(6, add(a, 1));
        Assert.Throws<IndexOutOfRangeException>(() => add(a, (nint)1 << 32));
        Assert.Throws<IndexOutOfRangeException>(() => add(a, -((nint)1 << 32)));
        Assert.Throws<IndexOutOfRangeException>(() => add([], 0));
    }

    [Theory]
    [InlineData(nameof(MemoryCode.ThroughALocal), "Unsafe.Add of a reference read from a variable or a parameter")]
    [InlineData(nameof(MemoryCode.Wider), "Int32 (size 4, alignment 4) does not fit in the place of Byte (size 1, alignment 1)")]
    [InlineData(nameof(MemoryCode.AsBool), "a bool read from other bytes could hold a value other than true or false")]
    [InlineData(nameof(MemoryCode.ObjectAs), "calling Unsafe.As is not supported")]
    [InlineData(nameof(MemoryCode.Unaligned), "calling Unsafe.ReadUnaligned is not supported")]
    public void What_cannot_stay_memory_safe_is_refused_with_the_reason(string name, string expected)
    {
        var e = Assert.Throws<CompilationException>(() => Cpu.Compile(typeof(MemoryCode).GetMethod(name)!));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
