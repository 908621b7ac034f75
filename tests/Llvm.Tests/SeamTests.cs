using Targets.Frontend;
using Targets.Frontend.Ir;
using Targets.Llvm.Interop;
using Targets.Llvm.Lowering;

namespace Targets.Llvm.Tests;

/// <summary>C# the kernel test target compiles.</summary>
public static class KernelCode
{
    public static void Scale(int i, float a, float[] x) => x[i] = a * x[i];

    public static double Wave(double t) => Math.Sin(t) + Math.Sqrt(t);

    public static int Divide(int a, int b) => a / b;
}

/// <summary>
/// The seams, proven by a target defined in this test project (<see cref="KernelTestTarget"/>):
/// C# goes through the shared frontend, the target's pipeline and the shared lowering to PTX.
/// </summary>
public sealed class SeamTests
{
    static readonly KernelTestTarget Target = new();

    static string Ptx(Delegate method, out string llvm)
    {
        // Through the compile driver, as every target compiles: the seam is the descriptor.
        IrModule ir = CompileDriver.Frontend(method.Method, CompileOptions.Default, Target);
        using TargetMachine machine = PtxTargetMachine.Create(new PtxOptions { Sm = 80 });
        var descriptor = new TargetDescriptor(Target, machine);
        using LlvmContext context = LlvmContext.Create();
        using LlvmModule module = CompileDriver.Lower(ir, descriptor, context, "k", CompileOptions.Default, optimize: true);
        llvm = module.ToString();
        Assert.Contains(".entry", CompileDriver.Inspect(ir, descriptor, "k2", CompileOptions.Default, Stage.Ptx), StringComparison.Ordinal);
        return machine.EmitAssembly(module);
    }

    /// <summary>A lowering with a bug: its entry hook fails the way a bug does (not with a refusal).</summary>
    sealed class FaultyEntryTarget : KernelTestTarget
    {
        public override void EmitEntry(ModuleLowering lowering, LLVMBuilderRef b) => throw new KeyNotFoundException("a planted bug"); // as a lookup of a missing symbol would
    }

    [Fact]
    public void A_lowering_that_fails_is_an_internal_error_with_the_ir_and_a_refusal_is_a_backend_error()
    {
        var faulty = new FaultyEntryTarget();
        IrModule ir = CompileDriver.Frontend(((Func<int, int, int>)KernelCode.Divide).Method, CompileOptions.Default, faulty);
        using TargetMachine machine = PtxTargetMachine.Create(new PtxOptions { Sm = 80 });
        using LlvmContext context = LlvmContext.Create();
        var e = Assert.Throws<InternalCompilerErrorException>(() => CompileDriver.Lower(ir, new TargetDescriptor(faulty, machine), context, "k", CompileOptions.Default, optimize: false));
        Assert.Equal("lowering to LLVM", e.Stage);
        Assert.IsType<KeyNotFoundException>(e.InnerException);
        Assert.Contains("KernelCode.Divide", e.Message);
        Assert.Contains("function Targets.Llvm.Tests.KernelCode.Divide", e.Ir);
    }

    [Fact]
    public void A_kernel_compiles_to_a_ptx_entry_without_nrt()
    {
        string ptx = Ptx(KernelCode.Scale, out string llvm);
        Assert.Contains(".visible .entry k_kernel(", ptx);
        Assert.Contains("mul.rn.f32", ptx);
        Assert.DoesNotContain("nrt_", llvm);
        // The bounds check is still there: an index outside x raises into the error slot.
        Assert.Contains("setp.", ptx);
    }

    [Fact]
    public void The_pipeline_is_the_targets_own()
    {
        IrModule ir = FrontendCompiler.Compile(((Delegate)KernelCode.Scale).Method, CompileOptions.Default, Target.Layouts, Target.Pipeline);
        Assert.Equal(Targets.Frontend.Passes.Pipeline.Frontend.Passes.Select(p => p.Name), ir.PassCounts.Keys);
        Assert.DoesNotContain("incref", ir.ToString());
    }

    [Fact]
    public void Math_goes_to_libdevice()
    {
        Ptx(KernelCode.Wave, out string llvm);
        Assert.Contains("@__nv_sin(", llvm);
        Assert.DoesNotContain("@sin(", llvm);
    }

    [Fact]
    public void IR_typed_by_another_context_is_refused() =>
        Assert.Throws<ArgumentException>(() =>
        {
            IrModule ir = FrontendCompiler.Compile(((Delegate)KernelCode.Scale).Method, CompileOptions.Default, new LayoutContext(), Target.Pipeline);
            using LlvmContext context = LlvmContext.Create();
            ModuleLowering.Lower(ir, context, "k", Target).Dispose();
        });

    [PtxasFact]
    public void Kernels_assemble_with_ptxas()
    {
        foreach (Delegate kernel in new Delegate[] { KernelCode.Scale, KernelCode.Divide })
        {
            string? diagnostics = Ptxas.Check(Ptx(kernel, out _), 80);
            Assert.True(diagnostics is null, $"{kernel.Method.Name}: {diagnostics}");
        }
    }
}
