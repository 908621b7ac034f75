using Targets.Cuda.Lowering;
using Targets.Frontend.Ir;
using Targets.Llvm;
using Targets.Llvm.Lowering;

namespace Targets.Cuda.Tests;

/// <summary>
/// The cuda lowering's LLVM text, through the compile driver, for one hand-written grid kernel:
/// on the device the thread index is a PTX special register and the entry a kernel; on the
/// simulator it is a call into the simulator's runtime and the entry a host function.
/// </summary>
public sealed class CudaLoweringTextTests
{
    const string Kernel = """
        function Fill(f32[]) -> void
          slots: s0:f32[]
        block0(v0: f32[]):
          v1: i32 = intrinsic ThreadIdxX                   ; IL_0000
          v2: f32 = const.f32 1                            ; IL_0005
          store_element.f32 v0, v1, v2                     ; IL_000a
          return                                           ; IL_000f


        """;

    static string Lowered(bool simulated)
    {
        var layouts = new LayoutContext(InstanceRepresentation.ByValue);
        IrModule ir = IrParser.Parse(Kernel, layouts, _ => null);
        var lowering = new CudaLowering(layouts, new CudaEntry(CudaEntryKind.Grid), simulated);
        using TargetMachine machine = simulated ? TargetMachine.CreateHost() : PtxTargetMachine.Create(new PtxOptions());
        using LlvmContext context = LlvmContext.Create();
        using LlvmModule module = CompileDriver.Lower(ir, new TargetDescriptor(lowering, machine), context, "k", CompileOptions.Default, optimize: false);
        return module.ToString();
    }

    [Fact]
    public void The_device_reads_special_registers_and_the_simulator_calls_its_runtime()
    {
        string device = Lowered(simulated: false);
        Assert.Contains("llvm.nvvm.read.ptx.sreg.tid.x", device, StringComparison.Ordinal);
        Assert.Contains("nvptx64-nvidia-cuda", device, StringComparison.Ordinal);
        string simulator = Lowered(simulated: true);
        Assert.DoesNotContain("llvm.nvvm", simulator, StringComparison.Ordinal);
        Assert.Contains("targets_sim_", simulator, StringComparison.Ordinal);
        Assert.DoesNotContain("nvptx64", simulator, StringComparison.Ordinal);
    }
}
