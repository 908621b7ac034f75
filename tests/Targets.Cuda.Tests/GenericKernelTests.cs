using Targets.Llvm;

namespace Targets.Cuda.Tests;

/// <summary>
/// Generic kernels and functions as values (<see cref="GenericKernels"/>) on the cuda simulator against
/// .NET, and their PTX: every callee is known, so the PTX has no indirect call and ptxas accepts it.
/// </summary>
public sealed class GenericKernelTests
{
    static readonly CudaTarget Simulator = CudaTarget.Simulator();

    [Fact]
    public void Generic_math_kernels_run_through_closed_instantiations() => GenericKernelChecks.Axpy(Simulator);

    [Fact]
    public void A_struct_functor_kernel_runs_as_ilgpus_generic_kernel_sample() => GenericKernelChecks.Functor(Simulator);

    [Fact]
    public void Lambdas_and_function_pointers_in_kernels_are_direct_calls() => GenericKernelChecks.FunctionsAsValues(Simulator);

    [Fact]
    public void Kernels_launched_with_functions_from_the_host_are_compiled_for_them() => GenericKernelChecks.HostFunctions(Simulator);

    [Fact]
    public void A_capturing_lambda_in_a_kernel_is_refused_with_its_reason()
    {
        var e = Assert.Throws<CompilationException>(() => GenericKernelChecks.Closure(Simulator));
        Assert.Equal(DiagnosticCode.CudaStructWithReferences, e.Code);
        Assert.Contains("a lambda that captures variables", e.Message, StringComparison.Ordinal);
        Assert.Contains("use a static lambda", e.Message, StringComparison.Ordinal);
    }

    [PtxasFact]
    public unsafe void Generic_and_function_value_kernels_are_ptx_without_indirect_calls_that_ptxas_accepts()
    {
        var gpu = new CudaTarget(new CudaOptions { ComputeCapability = 80 });
        foreach (Delegate kernel in new Delegate[]
        {
            GenericKernels.AxpyFloats, GenericKernels.Axpy<double>,
            GenericKernels.Functor<LinearFunction, int>, GenericKernels.MapWithLambda, GenericKernels.MapWithPointer,
        })
        {
            string ptx = gpu.InspectKernel(kernel);
            Assert.DoesNotContain("prototype", ptx, StringComparison.Ordinal); // PTX declares a prototype for each indirect call
            Assert.Null(Ptxas.Check(ptx, 80));
        }
        // Functions from the host: each launch's kernel is compiled for its function, called directly.
        foreach ((Delegate kernel, object function) in new (Delegate, object)[]
        {
            (GenericKernels.MapWith, GenericKernels.Affine), (GenericKernels.MapWith, (Func<float, float>)MathF.Abs), (GenericKernels.MapThrough, GenericKernels.SquareAddress),
        })
        {
            string ptx = gpu.InspectKernel(kernel, Stage.Ptx, function);
            Assert.DoesNotContain("prototype", ptx, StringComparison.Ordinal);
            Assert.Null(Ptxas.Check(ptx, 80));
        }
    }
}
