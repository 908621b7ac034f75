using Targets.Llvm;

namespace Targets.Cuda.Tests;

/// <summary>Jit-class hierarchies on cuda: direct calls on sealed classes compile (ptxas-clean) and run; dispatch on the instance's class is refused with TGT3008.</summary>
public sealed class HierarchyKernelTests
{
    static readonly CudaTarget Simulator = CudaTarget.Simulator();

    [Fact]
    public void Sealed_derived_classes_with_base_fields_run_on_the_simulator() => HierarchyKernelChecks.Direct(Simulator);

    [Fact]
    public void A_call_that_depends_on_the_instance_class_is_refused_with_the_reason()
    {
        var e = Assert.Throws<CompilationException>(() => Simulator.Launch(HierarchyKernels.Dispatched, 2, new float[2], new float[2]));
        Assert.Equal(DiagnosticCode.CudaClassOfInstance, e.Code);
        Assert.Contains("instances are values without a class record", e.Message, StringComparison.Ordinal);
    }

    [PtxasFact]
    public void Direct_calls_on_a_hierarchy_are_ptx_that_ptxas_accepts()
    {
        var gpu = new CudaTarget(new CudaOptions { ComputeCapability = 80 });
        Assert.Null(Ptxas.Check(gpu.InspectKernel(HierarchyKernels.Direct), 80));
    }
}
