using System.Numerics;
using System.Runtime.Intrinsics;

namespace Targets.Cuda.Tests;

/// <summary>Kernels that use SIMD vectors, which the cuda target refuses.</summary>
public static class SimdKernels
{
    public static void Scale(Index1D i, float[] values, float k) => values[i] = Vector128.Sum(Vector128.Create(values[i]) * k);

    public static void Lanes(Index1D i, float[] output) => output[i] = Vector<float>.Count;
}

/// <summary>
/// A SIMD vector in device code is refused (TGT3010) with the reason: a GPU thread is one lane of a warp already. A
/// vector's lane count alone (a constant) is no vector and compiles.
/// </summary>
public sealed class SimdKernelTests
{
    static readonly CudaTarget Simulator = CudaTarget.Simulator();

    [Fact]
    public void A_vector_in_a_kernel_is_refused_with_its_reason()
    {
        var e = Assert.Throws<CompilationException>(() => Simulator.Launch(SimdKernels.Scale, 4, new float[4], 2f));
        Assert.Equal(DiagnosticCode.CudaSimdVector, e.Code);
        Assert.Contains("a SIMD vector (Vector<T>, Vector128<T>, …) in device code", e.Message, StringComparison.Ordinal);
        Assert.Contains("one lane of a 32-wide warp", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lane_count_is_a_constant_and_compiles()
    {
        var output = new float[3];
        Simulator.Launch(SimdKernels.Lanes, 3, output);
        Assert.All(output, v => Assert.Equal(Vector<float>.Count, v));
    }
}
