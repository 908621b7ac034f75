using Targets.Llvm;

namespace Targets.Cuda.Tests;

/// <summary>
/// Kernels that catch their own exceptions (<see cref="ExceptionKernels"/>) on the cuda simulator against
/// .NET, and their PTX: a raise is a branch to the thread's catch, so ptxas accepts the kernel as it is.
/// </summary>
public sealed class ExceptionKernelTests
{
    static readonly CudaTarget Simulator = CudaTarget.Simulator();

    [Fact]
    public void Each_thread_catches_what_it_raises_and_runs_its_finally() => ExceptionKernelChecks.CaughtPerThread(Simulator);

    [Fact]
    public void What_no_catch_takes_leaves_the_kernel() => ExceptionKernelChecks.UncaughtLeavesTheKernel(Simulator);

    [PtxasFact]
    public void Kernels_that_catch_are_ptx_that_ptxas_accepts()
    {
        var gpu = new CudaTarget(new CudaOptions { ComputeCapability = 80 });
        foreach (Delegate kernel in new Delegate[] { ExceptionKernels.Guarded, ExceptionKernels.FromACallee, ExceptionKernels.Uncaught })
            Assert.Null(Ptxas.Check(gpu.InspectKernel(kernel), 80));
    }
}
