using System.Reflection;
using Targets.Cuda.Lowering;
using Targets.Frontend;
using Targets.Frontend.Ir;
using Targets.Llvm;
using Targets.Llvm.Lowering;

namespace Targets.Cuda;

/// <summary>
/// C# to PTX (device) or to host code (simulator) through the shared frontend, the cuda pipeline
/// (<see cref="CudaPasses"/>) and <see cref="CudaLowering"/>. LLVM failures, a missing libdevice and
/// what the lowering refuses are <see cref="CompilationException"/>s naming the method: nothing
/// reaches LLVM that could abort the process (modules are verified before code generation).
/// </summary>
internal static class CudaCompiler
{
    static int modules;

    /// <summary>A fresh module name: a PTX identifier, unique in the process (the simulator's JIT holds many).</summary>
    public static string NewModuleName() => $"k{Interlocked.Increment(ref modules)}";

    /// <summary>Imports and runs the cuda pipeline.</summary>
    public static IrModule Frontend(MethodInfo method, CompileOptions options, LayoutContext layouts, CudaOptions cuda) =>
        FrontendCompiler.Compile(method, options, layouts, CudaPasses.For(cuda.BoundsChecks));

    /// <summary>The entry shape of <paramref name="method"/> when launched (kernel) or invoked (function).</summary>
    public static CudaEntry EntryOf(MethodInfo method, bool launch)
    {
        if (!launch)
            return new CudaEntry(CudaEntryKind.Function);
        ParameterInfo[] parameters = method.GetParameters();
        bool indexed = parameters.Length > 0 && KernelLauncher.IndexRank(parameters[0].ParameterType) > 0;
        if (!indexed)
            return new CudaEntry(CudaEntryKind.Grid);
        int rank = KernelLauncher.Validate(method);
        return new CudaEntry(CudaEntryKind.Index, rank, KernelLauncher.TakesLongIndex(method));
    }

    /// <summary>Lowers for the device and returns the text of <paramref name="stage"/> (Llvm, OptimizedLlvm or Ptx).</summary>
    public static string Device(IrModule ir, MethodInfo method, CudaEntry entry, string name, PtxOptions ptx, CudaOptions cuda, CompileOptions options, Stage stage)
    {
        using LlvmContext context = LlvmContext.Create();
        using TargetMachine machine = PtxTargetMachine.Create(ptx);
        using LlvmModule module = Lower(ir, method, context, name, new CudaLowering((LayoutContext)ir.Types, entry, simulated: false, cuda.FastMath));
        machine.Configure(module);
        if (stage == Stage.Llvm)
            return module.ToString();
        try
        {
            if (Libdevice.IsNeeded(module))
                ir.Timings.Measure("link libdevice", () => Libdevice.Link(module, machine, CudaEntry.KernelSymbol(name)));
            ir.Timings.Measure("verify LLVM", module.Verify);
            ir.Timings.Measure("LLVM optimise", () => machine.Optimize(module, options.Optimize ? "default<O3>" : "default<O0>"));
            if (stage == Stage.OptimizedLlvm)
                return module.ToString();
            return ir.Timings.Measure("NVPTX: emit PTX", () => machine.EmitAssembly(module));
        }
        catch (FileNotFoundException e)
        {
            throw new CompilationException(CompilationErrorKind.Backend, Describe(method), "math that needs libdevice", -1, null, 0, e.Message, e);
        }
        catch (LlvmException e)
        {
            throw new CompilationException(CompilationErrorKind.Backend, Describe(method), "LLVM rejected the generated code", -1, null, 0, e.LlvmMessage, e);
        }
    }

    /// <summary>Lowers for the simulator, configured for the host (not yet optimised).</summary>
    public static LlvmModule Simulated(IrModule ir, MethodInfo method, CudaEntry entry, string name, LlvmContext context, TargetMachine host)
    {
        LlvmModule module = Lower(ir, method, context, name, new CudaLowering((LayoutContext)ir.Types, entry, simulated: true));
        try
        {
            host.Configure(module);
            module.Verify();
            return module;
        }
        catch (LlvmException e)
        {
            module.Dispose();
            throw new CompilationException(CompilationErrorKind.Backend, Describe(method), "LLVM rejected the generated code", -1, null, 0, e.LlvmMessage, e);
        }
    }

    static LlvmModule Lower(IrModule ir, MethodInfo method, LlvmContext context, string name, CudaLowering lowering)
    {
        try
        {
            return ir.Timings.Measure("lower to LLVM", () => ModuleLowering.Lower(ir, context, name, lowering));
        }
        catch (InvalidOperationException e)
        {
            throw new CompilationException(CompilationErrorKind.Backend, Describe(method), "lowering to LLVM", -1, null, 0, e.Message, e);
        }
    }

    public static string Describe(MethodBase method) => $"{method.DeclaringType?.Name}.{method.Name}";
}
