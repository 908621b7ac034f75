using Targets.Frontend.Il;

namespace Targets.Frontend.Ir;

/// <summary>
/// An entry function and every function it reaches, compiled together, with the type context
/// that gave its types their meaning. Function 0 is the entry.
/// </summary>
public sealed class IrModule
{
    public IrModule(TypeContext types)
    {
        ArgumentNullException.ThrowIfNull(types);
        Types = types;
    }

    /// <summary>Which classes are jit classes and how they are laid out, for this compilation.</summary>
    public TypeContext Types { get; }

    /// <summary>The index of the function named <paramref name="symbol"/>, or -1.</summary>
    public int IndexOf(string symbol) => Functions.FindIndex(f => f.Name == symbol);

    public List<IrFunction> Functions { get; } = [];

    public IrFunction Entry => Functions[0];

    /// <summary>What each pass of the pipeline changed, per pass name (e.g. prune-refcounts → Pairs → 3).</summary>
    /// <summary>How long the compilation of this module took, phase by phase (the frontend's phases, then the target's).</summary>
    public CompileTimings Timings { get; } = new();

    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> PassCounts { get; set; } =
        new Dictionary<string, IReadOnlyDictionary<string, int>>();

    public override string ToString() => IrPrinter.Print(this);
}
