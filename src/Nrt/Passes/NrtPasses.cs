using Targets.Frontend.Passes;

namespace Targets.Runtime.Passes;

/// <summary>
/// NRT's passes, for targets whose compiled code reference-counts (cpu, parallel): naive insertion,
/// then pruning. They run after the frontend's passes.
/// </summary>
public static class NrtPasses
{
    public static Pass Insert { get; } = new("insert-refcounts", (m, f, _) => Pass.Count("inserted", InsertRefcounts.Run(m, f)),
        "after versioning, so both copies of a loop are counted; after inlining, which splices callees into one block; before pruning, which needs its naive form");

    public static Pass Prune { get; } = new("prune-refcounts", (m, f, o) => PruneRefcounts.Run(m, f, o.RefcountPruning),
        "right after insertion: it pattern-matches exactly what insert-refcounts writes");

    public static IReadOnlyList<Pass> All { get; } = [Insert, Prune];

    /// <summary>The frontend's passes, then NRT's: what a reference-counting target runs.</summary>
    public static Pipeline Pipeline { get; } = new([.. FrontendPasses.All, .. All]);
}
