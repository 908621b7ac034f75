namespace Targets;

/// <summary>A point in the pipeline whose output <see cref="CompiledFunction.Inspect"/> shows.</summary>
public enum Stage
{
    /// <summary>The typed SSA IR after the frontend's passes.</summary>
    Ir,
    /// <summary>LLVM IR as lowered, before optimisation.</summary>
    Llvm,
    /// <summary>LLVM IR after the target's optimisation pipeline.</summary>
    OptimizedLlvm,
    /// <summary>Machine assembly (cpu, parallel).</summary>
    Asm,
    /// <summary>PTX text (cuda).</summary>
    Ptx,
    /// <summary>How long each phase of the compilation took (<see cref="CompiledFunction.Timings"/>).</summary>
    Timings,
}
