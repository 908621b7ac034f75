using Targets.Frontend.Passes;

namespace Targets.Frontend.Tests;

public sealed class PipelineTests
{
    static int IndexOf(string name) => Pipeline.Passes.ToList().FindIndex(p => p.Name == name);

    [Fact]
    public void Passes_keep_their_ordering_constraints()
    {
        // Versioning copies loops, so refcounts are inserted after it, in both copies.
        Assert.True(IndexOf("version-loops-for-bounds-checks") < IndexOf("insert-refcounts"));
        // Pruning pattern-matches what insertion writes.
        Assert.Equal(IndexOf("insert-refcounts") + 1, IndexOf("prune-refcounts"));
        Assert.All(Pipeline.Passes, p => Assert.False(string.IsNullOrWhiteSpace(p.Why)));
    }

    [Fact]
    public void Every_pass_reports_its_counts()
    {
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> counts =
            FrontendCompiler.Compile(typeof(Samples).GetMethod(nameof(Samples.Add))!, CompileOptions.Default).PassCounts;
        Assert.Equal(Pipeline.Passes.Select(p => p.Name), counts.Keys);
    }
}
