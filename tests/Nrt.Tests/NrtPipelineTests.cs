using Targets.Frontend.Passes;
using Targets.Runtime.Passes;

namespace Targets.Runtime.Tests;

public sealed class NrtPipelineTests
{
    static int IndexOf(string name) => NrtPasses.Pipeline.Passes.ToList().FindIndex(p => p.Name == name);

    [Fact]
    public void Refcount_passes_follow_the_frontend_passes_in_order()
    {
        // Versioning copies loops, so refcounts are inserted after it, in both copies.
        Assert.True(IndexOf("version-loops-for-bounds-checks") < IndexOf("insert-refcounts"));
        Assert.True(IndexOf("inline-straight-calls") < IndexOf("insert-refcounts"));
        // Pruning pattern-matches what insertion writes.
        Assert.Equal(IndexOf("insert-refcounts") + 1, IndexOf("prune-refcounts"));
        Assert.Equal(FrontendPasses.All.Select(p => p.Name), NrtPasses.Pipeline.Passes.Take(FrontendPasses.All.Count).Select(p => p.Name));
        Assert.All(NrtPasses.Pipeline.Passes, p => Assert.False(string.IsNullOrWhiteSpace(p.Why)));
    }

    [Fact]
    public void The_frontend_pipeline_has_no_refcount_pass() =>
        Assert.DoesNotContain(Pipeline.Frontend.Passes, p => NrtPasses.All.Contains(p));
}
