using System.Reflection;
using Targets.Llvm;

namespace Targets.Cuda.Tests;

/// <summary>Every kernel of the cuda tests compiles to PTX for sm_70, sm_80 and sm_90 with no device, and NVIDIA's ptxas assembles it.</summary>
public sealed class PtxTests
{
    /// <summary>Every kernel of this test assembly but those written to be refused.</summary>
    public static IEnumerable<MethodInfo> Kernels =>
        new[] { typeof(CudaKernels), typeof(GridKernels), typeof(MathKernels), typeof(BodyKernels), typeof(StructKernels) }
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static))
            .Where(m => m.ReturnType == typeof(void) && m.Name is not (nameof(BodyKernels.StoreField) or nameof(BodyKernels.CallsAMutator) or nameof(BodyKernels.Allocates)));

    static string KernelPtx(CudaTarget target, MethodInfo kernel) =>
        target.InspectKernel(Delegate.CreateDelegate(System.Linq.Expressions.Expression.GetDelegateType([.. kernel.GetParameters().Select(p => p.ParameterType), typeof(void)]), kernel));

    [Fact]
    public void Kernels_are_ptx_entries_with_their_architecture()
    {
        var target = new CudaTarget(new CudaOptions { ComputeCapability = 80 });
        foreach (MethodInfo kernel in Kernels)
        {
            string ptx = KernelPtx(target, kernel);
            Assert.Contains(".target sm_80", ptx);
            Assert.Contains(".visible .entry", ptx);
        }
    }

    [Fact]
    public void Barriers_shared_memory_and_atomics_are_the_hardwares()
    {
        var target = new CudaTarget(new CudaOptions { ComputeCapability = 80 });
        string sum = target.InspectKernel(CudaKernels.BlockSum);
        Assert.Contains("bar.sync", sum);
        Assert.Contains(".shared", sum);
        Assert.Contains("atom.global.add.f32", sum);
        Assert.Contains("%tid.x", sum);
        string saxpy = target.InspectKernel(CudaKernels.Saxpy);
        Assert.Contains("%ctaid.x", saxpy);
        Assert.DoesNotContain("nrt_", target.InspectKernel(CudaKernels.Saxpy, Stage.Llvm));
        Assert.Contains("__nv_sin", target.InspectKernel(CudaKernels.Waves, Stage.Llvm));
        Assert.Contains("shfl.sync.down.b32", target.InspectKernel(CudaKernels.WarpSum));
        Assert.Contains("shfl.sync.bfly.b32", target.InspectKernel(CudaKernels.WarpAllReduce));
    }

    [PtxasFact]
    public void Every_kernel_assembles_with_ptxas_for_sm70_sm80_sm90()
    {
        foreach (int sm in new[] { 70, 80, 90 })
        {
            var target = new CudaTarget(new CudaOptions { ComputeCapability = sm });
            foreach (MethodInfo kernel in Kernels)
            {
                string? diagnostics = Ptxas.Check(KernelPtx(target, kernel), sm);
                Assert.True(diagnostics is null, $"{kernel.Name} for sm_{sm}: {diagnostics}");
            }
        }
    }
}
