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
    public void A_struct_parameter_of_another_type_is_an_argument_exception()
    {
        var e = Assert.Throws<ArgumentException>(() => Simulator.Launch(StructKernels.Step, 1, new Particle[1], 0.1f, new CustomDataType(1), EdgeMode.Clamp));
        Assert.Contains("Bounds", e.Message);
    }
}
