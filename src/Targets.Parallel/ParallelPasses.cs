using Targets.Frontend.Passes;
using Targets.Runtime.Passes;

namespace Targets.Parallel;

/// <summary>
/// The parallel target's pipeline: Prange loops outlined first (the frontend's
/// <see cref="FrontendPasses.OutlineParallel"/>), then the passes of a reference-counting target.
/// </summary>
public static class ParallelPasses
{
    public static Pipeline Pipeline { get; } = new([FrontendPasses.OutlineParallel, .. NrtPasses.Pipeline.Passes]);
}
