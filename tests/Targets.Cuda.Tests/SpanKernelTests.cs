using Targets.Llvm;

namespace Targets.Cuda.Tests;

/// <summary>Kernels over spans: views of an array parameter and a table of constant data.</summary>
public static class SpanKernels
{
    static ReadOnlySpan<int> Table => [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3];

    /// <summary>Each item reads the table (constant memory on the device) and a span over the input from its second element.</summary>
    public static void Lookup(Index1D i, int[] input, int[] output)
    {
        ReadOnlySpan<int> rest = input.AsSpan(1);
        output[i] = Table[i & 15] * 100 + (i < rest.Length ? rest[i] : -1);
    }

    /// <summary>Each item sums a window of the input through a slice.</summary>
    public static void Window(Index1D i, double[] input, double[] output)
    {
        Span<double> all = input;
        Span<double> window = all.Slice(i, Math.Min(4, all.Length - i));
        double s = 0;
        foreach (double v in window)
            s += v;
        output[i] = s;
    }

    /// <summary>stackalloc has no device form: refused with the reason.</summary>
    public static void Scratch(Index1D i, int[] output)
    {
        Span<int> s = stackalloc int[4];
        s[i & 3] = i;
        output[i] = s[0];
    }
}

/// <summary>
/// Spans in kernels on the cuda simulator against .NET, their PTX through ptxas (the table in <c>.const</c>), and the
/// refusal of <c>stackalloc</c> on the device.
/// </summary>
public sealed class SpanKernelTests
{
    static readonly CudaTarget Simulator = CudaTarget.Simulator();

    [Fact]
    public void Span_kernels_match_dotnet_on_the_simulator()
    {
        int[] input = [.. Enumerable.Range(0, 40).Select(k => k * 7 - 50)];
        int[] expected = new int[40], actual = new int[40];
        for (int i = 0; i < 40; i++)
            SpanKernels.Lookup(new Index1D(i), input, expected);
        Simulator.Launch(SpanKernels.Lookup, 40, input, actual);
        Assert.Equal(expected, actual);

        double[] values = [.. Enumerable.Range(0, 33).Select(k => Math.Sin(k))];
        double[] sums = new double[33], compiled = new double[33];
        for (int i = 0; i < 33; i++)
            SpanKernels.Window(new Index1D(i), values, sums);
        Simulator.Launch(SpanKernels.Window, 33, values, compiled);
        Assert.Equal(sums, compiled);
    }

    [Fact]
    public void Stackalloc_in_a_kernel_is_refused_with_its_reason()
    {
        var e = Assert.Throws<CompilationException>(() => Simulator.Launch(SpanKernels.Scratch, 4, new int[4]));
        Assert.Equal(DiagnosticCode.CudaDeviceAllocation, e.Code);
        Assert.Contains("stackalloc in device code", e.Message, StringComparison.Ordinal);
        Assert.Contains("Cuda.SharedArray", e.Message, StringComparison.Ordinal);
    }

    [PtxasFact]
    public void Span_kernels_are_ptx_that_ptxas_accepts_with_the_table_in_constant_memory()
    {
        var gpu = new CudaTarget(new CudaOptions { ComputeCapability = 80 });
        string lookup = gpu.InspectKernel((Action<Index1D, int[], int[]>)SpanKernels.Lookup);
        Assert.Contains(".const .align 16 .b8", lookup, StringComparison.Ordinal);
        Assert.Null(Ptxas.Check(lookup, 80));
        Assert.Null(Ptxas.Check(gpu.InspectKernel((Action<Index1D, double[], double[]>)SpanKernels.Window), 80));
    }
}
