using Targets.Cuda.Tests;

namespace Targets.Parallel.Tests;

/// <summary>
/// The generic, function-value and exception-catching kernels of the cuda tests (<see cref="GenericKernels"/>,
/// <see cref="ExceptionKernels"/>) launched on cpu and on parallel, against .NET.
/// </summary>
public sealed class GenericKernelLaunchTests : NrtLeakCheck
{
    public static TheoryData<string> Targets() => ["cpu", "parallel"];

    static ITarget For(string name) => name == "cpu" ? new Cpu.CpuTarget() : new ParallelTarget();

    [Theory]
    [MemberData(nameof(Targets))]
    public void Generic_math_kernels_run_through_closed_instantiations(string target) => GenericKernelChecks.Axpy(For(target));

    [Theory]
    [MemberData(nameof(Targets))]
    public void A_struct_functor_kernel_runs_as_ilgpus_generic_kernel_sample(string target) => GenericKernelChecks.Functor(For(target));

    [Theory]
    [MemberData(nameof(Targets))]
    public void Lambdas_and_function_pointers_in_kernels_are_direct_calls(string target) => GenericKernelChecks.FunctionsAsValues(For(target));

    [Theory]
    [MemberData(nameof(Targets))]
    public void Kernels_launched_with_functions_from_the_host_are_compiled_for_them(string target) => GenericKernelChecks.HostFunctions(For(target));

    [Theory]
    [MemberData(nameof(Targets))]
    public void Kernels_catch_what_each_index_raises(string target) => ExceptionKernelChecks.CaughtPerThread(For(target));

    [Theory]
    [MemberData(nameof(Targets))]
    public void What_no_catch_in_a_kernel_takes_leaves_the_launch(string target) => ExceptionKernelChecks.UncaughtLeavesTheKernel(For(target));

    [Theory]
    [MemberData(nameof(Targets))]
    public void Kernels_over_a_class_hierarchy_call_directly_and_dispatch_on_the_class(string target)
    {
        HierarchyKernelChecks.Direct(For(target));
        HierarchyKernelChecks.Dispatched(For(target));
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void A_capturing_lambda_in_a_kernel_runs_on_its_counted_closure(string target) => GenericKernelChecks.Closure(For(target));
}
