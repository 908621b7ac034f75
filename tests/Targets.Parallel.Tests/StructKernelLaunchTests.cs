using Targets.Cuda.Tests;

namespace Targets.Parallel.Tests;

/// <summary>The struct kernels of the cuda tests (<see cref="StructKernels"/>) launched on cpu and on parallel, against .NET.</summary>
public sealed class StructKernelLaunchTests : NrtLeakCheck
{
    public static TheoryData<string> Targets() => ["cpu", "parallel"];

    static ITarget For(string name) => name == "cpu" ? new Cpu.CpuTarget() : new ParallelTarget();

    [Theory]
    [MemberData(nameof(Targets))]
    public void Simple_structures_sample_writes_a_struct_per_index(string target) => StructKernelChecks.SimpleStructures(For(target));

    [Theory]
    [MemberData(nameof(Targets))]
    public void Particles_step_in_a_struct_array_with_a_struct_and_an_enum_by_value(string target) => StructKernelChecks.Particles(For(target));

    [Theory]
    [MemberData(nameof(Targets))]
    public void Tuples_and_complex_numbers_in_kernels_match_dotnet(string target) => StructKernelChecks.TuplesAndComplex(For(target));
}
