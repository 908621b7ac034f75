namespace Targets.Cuda.Tests;

/// <summary>
/// Struct, enum, tuple and Complex kernels (<see cref="StructKernels"/>) on the cuda simulator against
/// .NET (<see cref="StructKernelChecks"/>; tests/Targets.Parallel.Tests runs the same checks on cpu and parallel).
/// </summary>
public sealed class StructKernelTests
{
    static readonly CudaTarget Simulator = CudaTarget.Simulator();

    [Fact]
    public void Simple_structures_sample_writes_a_struct_per_index() => StructKernelChecks.SimpleStructures(Simulator);

    [Fact]
    public void Particles_step_in_a_struct_array_with_a_struct_and_an_enum_by_value() => StructKernelChecks.Particles(Simulator);

    [Fact]
    public void Tuples_and_complex_numbers_in_kernels_match_dotnet() => StructKernelChecks.TuplesAndComplex(Simulator);

    [Fact]
    public void A_block_reduces_structs_in_shared_memory()
    {
        float[] input = [.. Enumerable.Range(0, 300).Select(k => (k % 7 - 3) * 0.5f)];
        var perBlock = new Stat[5];
        Simulator.LaunchGrid(StructKernels.BlockStats, 5, 64, input, perBlock);
        for (int b = 0; b < perBlock.Length; b++)
        {
            // The same tree of additions, in .NET.
            float[] sums = new float[64];
            int[] counts = new int[64];
            for (int t = 0; t < 64; t++)
            {
                int i = b * 64 + t;
                float v = i < input.Length ? input[i] : 0f;
                (sums[t], counts[t]) = (v > 0 ? v : 0, v > 0 ? 1 : 0);
            }
            for (int stride = 32; stride > 0; stride /= 2)
            {
                for (int t = 0; t < stride; t++)
                    (sums[t], counts[t]) = (sums[t] + sums[t + stride], counts[t] + counts[t + stride]);
            }
            Assert.Equal((sums[0], counts[0]), (perBlock[b].Sum, perBlock[b].Count));
        }
    }

    /// <summary>A struct that holds the output array: on cpu and parallel it counts the reference; on the device nothing could.</summary>
    internal struct Sink
    {
        public int[] Target;
        public int Scale;
    }

    internal static void WritesThroughASink(Index1D i, int[] output)
    {
        var sink = new Sink { Target = output, Scale = 2 };
        sink.Target[i] = i * sink.Scale;
    }

    [Fact]
    public void A_struct_that_holds_an_array_is_refused_in_device_code_with_its_reason()
    {
        var e = Assert.Throws<CompilationException>(() => Simulator.Compile(WritesThroughASink));
        Assert.Equal(DiagnosticCode.CudaStructWithReferences, e.Code);
        Assert.True(CudaTarget.IsRefusedByDesign(e));
        Assert.Contains("Sink holds an array or a jit class instance (i32[])", e.Message);
        Assert.Contains("StructKernelTests.cs:", e.Message);
    }

    [Fact]
    public void A_struct_parameter_of_another_type_is_an_argument_exception()
    {
        var e = Assert.Throws<ArgumentException>(() => Simulator.Launch(StructKernels.Step, 1, new Particle[1], 0.1f, new CustomDataType(1), EdgeMode.Clamp));
        Assert.Contains("Bounds", e.Message);
    }
}
