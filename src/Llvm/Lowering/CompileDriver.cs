using System.Reflection;
using Targets.Frontend;
using Targets.Frontend.Ir;

namespace Targets.Llvm.Lowering;

/// <summary>
/// What a target gives the <see cref="CompileDriver"/>: its lowering (passes, layouts, ABI: the
/// <see cref="TargetLowering"/>), the machine that configures, optimises and emits for it, and the
/// step it needs before optimisation (cuda links libdevice there, so the optimiser inlines it). What the driver
/// makes, the target loads its own way: an object file or the JIT on a host, PTX for a device.
/// </summary>
/// <param name="Lowering">Its lowering object.</param>
/// <param name="Machine">Its target machine (the host's, or NVPTX's).</param>
public sealed record TargetDescriptor(TargetLowering Lowering, TargetMachine Machine)
{
    /// <summary>Runs on the lowered, configured, verified module before optimisation (e.g. links libraries in); the module is verified again after it.</summary>
    public Action<LlvmModule, IrModule>? Prepare { get; init; }
}

/// <summary>
/// The one compile driver every target runs: frontend (import and the target's pipeline, verified
/// after every pass) → lowering → configuration for the machine → LLVM's verifier → the target's
/// preparation (verified again) → optimisation, each stage timed into the module's <see cref="CompileTimings"/>,
/// and every failure mapped to what <c>Compile</c> may throw: a lowering's refusal (an
/// <see cref="InvalidOperationException"/>) or an LLVM rejection is a
/// <see cref="CompilationErrorKind.Backend"/> <see cref="CompilationException"/> naming the method,
/// anything else a lowering throws an <see cref="InternalCompilerErrorException"/> with the IR; nothing reaches LLVM's code generation unverified (which would abort the
/// process). <see cref="Inspect"/> shows any stage of the same path.
/// </summary>
public static class CompileDriver
{
    /// <summary>The IR of <paramref name="method"/> after <paramref name="lowering"/>'s pipeline (a kernel behind its launcher when <paramref name="kernelLaunch"/>).</summary>
    public static IrModule Frontend(MethodBase method, CompileOptions options, TargetLowering lowering, bool kernelLaunch = false, FunctionArguments? functions = null)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(lowering);
        return method is MethodInfo kernel && kernelLaunch
            ? FrontendCompiler.CompileKernel(kernel, options, lowering.Layouts, lowering.Pipeline, functions)
            : FrontendCompiler.Compile(method, options, lowering.Layouts, lowering.Pipeline, functions);
    }

    /// <summary>
    /// The quick tier's pipeline (<see cref="CompileTier.Quick"/>): values out of memory into registers, common
    /// subexpressions, peephole folding and a simplified control flow — what makes the code fit to run — and none of
    /// the loop, inlining or vector work. Measured on the n-body program's compile and first call in a warm process
    /// (2-core VM, medians of 20): 35.9 ms against <c>default&lt;O1&gt;</c>'s 68.5 ms (whose optimiser alone took 40.8 ms),
    /// <c>default&lt;O0&gt;</c>'s 33.0 ms (code that keeps every value in memory) and <c>default&lt;O3&gt;</c>'s 128.6 ms.
    /// </summary>
    public const string QuickPipeline = "function(sroa,early-cse,instcombine<no-verify-fixpoint>,simplifycfg)";

    /// <summary>
    /// Lowers <paramref name="ir"/> into <paramref name="context"/> as module <paramref name="name"/>,
    /// configured for the target's machine and verified; when <paramref name="optimize"/>, prepared and
    /// optimised (<c>default&lt;O3&gt;</c>; <see cref="QuickPipeline"/> for the quick tier, <c>default&lt;O0&gt;</c> without <see cref="CompileOptions.Optimize"/>).
    /// The caller owns the module.
    /// </summary>
    /// <param name="ir">The module after its pipeline.</param>
    /// <param name="target">The target's lowering and machine.</param>
    /// <param name="context">The LLVM context the module lives in.</param>
    /// <param name="name">The module's name (its symbols' prefix).</param>
    /// <param name="options">The compilation's options.</param>
    /// <param name="optimize">Prepare and optimise; without it the module is as lowered (Inspect's <see cref="Stage.Llvm"/>).</param>
    /// <param name="timings">Where the stages' times go: the module's by default; Inspect passes its own (its times are not the compilation's).</param>
    public static LlvmModule Lower(IrModule ir, TargetDescriptor target, LlvmContext context, string name, CompileOptions options, bool optimize,
        CompileTimings? timings = null)
    {
        ArgumentNullException.ThrowIfNull(ir);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        timings ??= ir.Timings;
        LlvmModule module;
        try
        {
            module = timings.Measure("lower to LLVM", () => ModuleLowering.Lower(ir, context, name, target.Lowering));
        }
        catch (InvalidOperationException e)
        {
            throw Backend(ir, "lowering to LLVM", e.Message, e);
        }
        catch (Exception e) when (InternalCompilerErrorException.IsInternal(e))
        {
            throw new InternalCompilerErrorException(ir.DisplayName, "lowering to LLVM", e, ir.ToString()); // a bug in a lowering, not a refusal
        }
        try
        {
            target.Machine.Configure(module);
            timings.Measure("verify LLVM", module.Verify);
            if (!optimize)
                return module;
            if (target.Prepare is { } prepare)
            {
                prepare(module, ir);
                timings.Measure("verify LLVM", module.Verify);
            }
            string pipeline = !options.Optimize ? "default<O0>" : options.Tier == CompileTier.Quick ? QuickPipeline : "default<O3>";
            timings.Measure($"LLVM optimise ({pipeline})", () => target.Machine.Optimize(module, pipeline));
            return module;
        }
        catch (LlvmException e)
        {
            module.Dispose();
            throw Rejected(ir, e);
        }
        catch (FileNotFoundException e) // a library the preparation links in (libdevice) is missing: it says where it looked
        {
            module.Dispose();
            throw Backend(ir, "a library the code needs", e.Message, e);
        }
    }

    /// <summary>
    /// The text of <paramref name="stage"/> for <paramref name="ir"/>: the IR itself, LLVM IR as
    /// lowered, after optimisation, or the machine's assembly (PTX for NVPTX), lowered anew (its times
    /// are not the compilation's).
    /// </summary>
    public static string Inspect(IrModule ir, TargetDescriptor target, string name, CompileOptions options, Stage stage)
    {
        ArgumentNullException.ThrowIfNull(ir);
        ArgumentNullException.ThrowIfNull(target);
        if (stage == Stage.Ir)
            return ir.ToString();
        if (stage is not (Stage.Llvm or Stage.OptimizedLlvm or Stage.Asm or Stage.Ptx))
            throw new ArgumentException($"Expected Ir, Llvm, OptimizedLlvm, Asm or Ptx; {stage} is not a stage of the code.", nameof(stage));
        using LlvmContext context = LlvmContext.Create();
        using LlvmModule module = Lower(ir, target, context, name, options, optimize: stage != Stage.Llvm, new CompileTimings());
        if (stage is Stage.Llvm or Stage.OptimizedLlvm)
            return module.ToString();
        try
        {
            return target.Machine.EmitAssembly(module);
        }
        catch (LlvmException e)
        {
            throw Rejected(ir, e);
        }
    }

    /// <summary><c>Type.Method</c>.</summary>
    public static string Describe(MethodBase method)
    {
        ArgumentNullException.ThrowIfNull(method);
        return $"{method.DeclaringType?.Name}.{method.Name}";
    }

    /// <summary>LLVM refused the module (its verifier, code generation or the JIT's link): a <see cref="CompilationErrorKind.Backend"/> error in LLVM's words, whichever step of a target's met it.</summary>
    public static CompilationException Rejected(IrModule ir, LlvmException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return Backend(ir, "LLVM rejected the generated code", e.LlvmMessage, e);
    }

    /// <summary>A <see cref="CompilationErrorKind.Backend"/> error: what the backend refused, in its words.</summary>
    public static CompilationException Backend(IrModule ir, string construct, string detail, Exception inner) =>
        new(CompilationErrorKind.Backend, ir.DisplayName, construct, -1, null, 0, detail, inner);
}
