using System.Reflection;
using Targets.Cuda.Lowering;
using Targets.Frontend;
using Targets.Frontend.Ir;
using Targets.Llvm;
using Targets.Llvm.Lowering;

namespace Targets.Cuda;

/// <summary>
/// C# to PTX (device) or to host code (simulator) through the <see cref="CompileDriver"/>, with the
/// cuda pipeline (<see cref="CudaPasses"/>) and <see cref="CudaLowering"/> as the target's
/// descriptor. LLVM failures, a missing libdevice and what the lowering refuses are
/// <see cref="CompilationException"/>s naming the method (the driver maps them): nothing reaches
/// LLVM that could abort the process (modules are verified before code generation).
/// </summary>
internal static class CudaCompiler
{
    static int modules;

    /// <summary>A fresh module name: a PTX identifier, unique in the process (the simulator's JIT holds many).</summary>
    public static string NewModuleName() => $"k{Interlocked.Increment(ref modules)}";

    /// <summary>The cuda target's lowering of one kernel or function: for the device (NVPTX, libdevice) or the simulator (the host, its C library).</summary>
    public static CudaLowering Lowering(LayoutContext layouts, CudaEntry entry, CudaOptions cuda, bool simulated) =>
        new(layouts, entry, simulated, fastMath: !simulated && cuda.FastMath, boundsChecks: cuda.BoundsChecks);

    /// <summary>Imports and runs the cuda pipeline (through the compile driver).</summary>
    public static IrModule Frontend(MethodInfo method, CompileOptions options, LayoutContext layouts, CudaEntry entry, CudaOptions cuda, bool simulated, FunctionArguments? functions = null) =>
        CompileDriver.Frontend(method, options, Lowering(layouts, entry, cuda, simulated), functions: functions);

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

    /// <summary>Lowers for the device through the compile driver (libdevice linked before optimisation) and returns the text of <paramref name="stage"/> (Llvm, OptimizedLlvm or Ptx).</summary>
    public static string Device(IrModule ir, LayoutContext layouts, CudaEntry entry, string name, PtxOptions ptx, CudaOptions cuda, CompileOptions options, Stage stage)
    {
        using LlvmContext context = LlvmContext.Create();
        using TargetMachine machine = PtxTargetMachine.Create(ptx);
        var target = new TargetDescriptor(Lowering(layouts, entry, cuda, simulated: false), machine)
        {
            Prepare = (module, _) =>
            {
                if (Libdevice.IsNeeded(module))
                    ir.Timings.Measure("link libdevice", () => Libdevice.Link(module, machine, CudaEntry.KernelSymbol(name)));
            },
        };
        using LlvmModule module = CompileDriver.Lower(ir, target, context, name, options, optimize: stage != Stage.Llvm);
        if (stage is Stage.Llvm or Stage.OptimizedLlvm)
            return module.ToString();
        try
        {
            return ir.Timings.Measure("NVPTX: emit PTX", () => machine.EmitAssembly(module));
        }
        catch (LlvmException e)
        {
            throw CompileDriver.Rejected(ir, e);
        }
    }

    /// <summary>Lowers for the simulator through the compile driver, configured for the host and optimised by <paramref name="host"/>.</summary>
    public static LlvmModule Simulated(IrModule ir, LayoutContext layouts, CudaEntry entry, string name, LlvmContext context, TargetMachine host, CudaOptions cuda, CompileOptions options) =>
        CompileDriver.Lower(ir, new TargetDescriptor(Lowering(layouts, entry, cuda, simulated: true), host), context, name, options, optimize: true);
}
