using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Targets.Cuda.Tests;

/// <summary>Kernels that reinterpret memory.</summary>
public static class MemoryKernels
{
    public static void Neighbour(Index1D i, int[] values, int[] output) =>
        output[i] = Unsafe.Add(ref values[i], 1) + Unsafe.As<int, ushort>(ref values[i]);

    public static void Bytes(Index1D i, int[] values, int[] output) => output[i] = MemoryMarshal.AsBytes(values.AsSpan())[i];
}

/// <summary>
/// On the device <c>Unsafe.Add</c> stays inside the array (IndexOutOfRangeException past it, as on the host) and
/// <c>Unsafe.As</c> reads the same bytes; <c>MemoryMarshal.Cast</c> is refused with the reason (a view needs a heap the
/// device has not).
/// </summary>
public sealed class MemoryKernelTests
{
    static readonly CudaTarget Simulator = CudaTarget.Simulator();

    [Fact]
    public void Unsafe_Add_and_As_read_the_array_in_a_kernel()
    {
        int[] values = [1, 0x12345, -7, 40, 0x7fff_ffff];
        var output = new int[values.Length - 1];
        Simulator.Launch(MemoryKernels.Neighbour, output.Length, values, output);
        for (int i = 0; i < output.Length; i++)
            Assert.Equal(values[i + 1] + (ushort)values[i], output[i]);
        Assert.Throws<IndexOutOfRangeException>(() => Simulator.Launch(MemoryKernels.Neighbour, values.Length, values, new int[values.Length]));
    }

    [Fact]
    public void A_view_in_a_kernel_is_refused_with_its_reason()
    {
        var e = Assert.Throws<CompilationException>(() => Simulator.Launch(MemoryKernels.Bytes, 4, new int[4], new int[4]));
        Assert.Equal(DiagnosticCode.CudaDeviceAllocation, e.Code);
        Assert.Contains("MemoryMarshal.Cast (a span of another element type) in device code", e.Message, StringComparison.Ordinal);
    }
}
