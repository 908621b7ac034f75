using Targets.Cpu;
using Targets.Cpu.Host;
using Targets.Frontend.Ir;

namespace Targets.Parallel;

/// <summary>
/// The parallel target: everything the cpu target compiles (functions, jit classes, boxes, NRT),
/// with <see cref="Prange"/> loops outlined and run in chunks across <see cref="Workers"/>
/// threads, and kernel launches split across them the same way. Iterations must be independent:
/// the compiler rejects loops whose iterations race on a variable or an array element
/// (<see cref="CompilationErrorKind.Race"/>). Reductions combine per chunk in chunk order: integer
/// results equal .NET's; floating-point sums may differ in the last bits, since they add in
/// another order. An exception in any iteration stops the chunks not yet started, and the
/// exception of the first failing chunk (in iteration order) is thrown to the caller.
/// </summary>
public sealed class ParallelTarget : HostTarget
{
    static ParallelTarget() => DefineRuntimeSymbol(ParallelLowering.ParallelFor, ParallelRuntime.Address);

    /// <summary>A target with a layout context of its own, running on every core.</summary>
    public ParallelTarget()
        : this(new LayoutContext())
    {
    }

    /// <param name="layouts">The layout context (instances counted, as on cpu).</param>
    /// <param name="workers">Threads a loop runs on, the calling one included; 0 (the default) means one per core.</param>
    public ParallelTarget(LayoutContext layouts, int workers = 0)
        : base(layouts)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(workers);
        Workers = workers == 0 ? Environment.ProcessorCount : workers;
    }

    /// <summary>How many threads a parallel loop runs on, the calling thread included.</summary>
    public int Workers { get; }

    public override string Name => "parallel";

    private protected override int ParallelWorkers => Workers;

    private protected override HostLowering NewLowering(Func<JitClassType, string> destructorOf, Func<IrFunction, long> resolveToken, bool checkedRefcounts) =>
        new ParallelLowering(Layouts, destructorOf, resolveToken, Workers, checkedRefcounts);

    private protected override HostTarget WithLayouts(LayoutContext layouts) => new ParallelTarget(layouts, Workers);
}
