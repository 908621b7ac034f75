namespace Targets.Frontend.Ir;

/// <summary>An entry function and every function it reaches, compiled together. Function 0 is the entry.</summary>
public sealed class IrModule
{
    public List<IrFunction> Functions { get; } = [];

    public IrFunction Entry => Functions[0];

    /// <summary>What each pass of the pipeline changed, per pass name (e.g. prune-refcounts → Pairs → 3).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> PassCounts { get; set; } =
        new Dictionary<string, IReadOnlyDictionary<string, int>>();

    public override string ToString() => IrPrinter.Print(this);
}
