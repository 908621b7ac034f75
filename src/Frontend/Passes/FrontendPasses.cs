namespace Targets.Frontend.Passes;

/// <summary>The passes every target runs, in order, before any target-specific pass.</summary>
public static class FrontendPasses
{
    public static Pass VersionLoops { get; } = new("version-loops-for-bounds-checks", (_, f, _) =>
        {
            (int versioned, int capped) = VersionLoopsForBoundsChecks.Run(f);
            return new Dictionary<string, int> { ["loops"] = versioned, ["capped"] = capped };
        },
        "on the imported form, where counters are still slots the pattern can name; before lowering, so LLVM sees check-free loops it can vectorise");

    public static Pass InlineCalls { get; } = new("inline-straight-calls", (m, f, _) => Pass.Count("calls", InlineStraightCalls.Run(m, f)),
        "after versioning, which matches loops as imported; before any runtime's passes (refcount insertion), so that a value passed to a constructor and stored into a field is counted in one block, where pruning can pair the two sides");

    public static Pass CountPrange { get; } = new("count-prange-loops", (_, f, _) => Pass.Count("loops", CountPrangeLoops.Run(f)),
        "before versioning, which it feeds: a Prange loop with a unit step becomes the counted loop a for statement makes (after outlining, on the parallel target, so the outlined body is counted too)");

    public static Pass Devirtualise { get; } = new("devirtualise-exact-receivers", (m, f, _) => Pass.Count("calls", DevirtualiseExactReceivers.Run(m, f)),
        "before inlining, so that the direct call it makes of a new instance's method can be inlined; on the imported form, where a local's stores can be listed");

    public static IReadOnlyList<Pass> All { get; } = [CountPrange, VersionLoops, Devirtualise, InlineCalls];

    /// <summary>The parallel target's first pass: Prange loops become calls of outlined bodies run across cores.</summary>
    public static Pass OutlineParallel { get; } = new("outline-parallel-loops", (m, f, _) => Pass.Count("loops", OutlineParallelLoops.Run(m, f)),
        "first, on the imported form, where variables are still slots the race checks can name; the frontend's other passes then see the outlined body as an ordinary function (its loop versioned, its calls inlined), and NRT counts the captured references like any call's arguments");
}
