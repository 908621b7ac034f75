namespace Targets.Cuda.Tests;

/// <summary>Kernels that take or make arrays of arrays, which the cuda target refuses.</summary>
public static class JaggedKernels
{
    public static void Rows(Index1D i, int[][] rows) => rows[i][0] = i;

    public static void Flat(Index1D i, int[] values, int width) => values[i * width] = i;
}

/// <summary>
/// An array of arrays as a kernel parameter is refused (TGT3011) with the reason: each row is an array of its own the
/// device cannot see; the flat array and its width, which the message offers, compiles.
/// </summary>
public sealed class JaggedKernelTests
{
    static readonly CudaTarget Simulator = CudaTarget.Simulator();

    [Fact]
    public void A_jagged_parameter_is_refused_with_its_reason()
    {
        var e = Assert.Throws<CompilationException>(() => Simulator.Launch(JaggedKernels.Rows, 2, new int[2][]));
        Assert.Equal(DiagnosticCode.CudaArrayOfArrays, e.Code);
        Assert.True(CudaTarget.IsRefusedByDesign(e));
        Assert.Contains("one flat array and its width", e.Message, StringComparison.Ordinal);
        var flat = new int[6];
        Simulator.Launch(JaggedKernels.Flat, 3, flat, 2);
        Assert.Equal([0, 0, 1, 0, 2, 0], flat);
    }
}
