using Targets.Frontend.Passes;

namespace Targets.Frontend.Tests;

public sealed class PipelineTests
{
    [Fact]
    public void Frontend_passes_keep_their_ordering_constraints()
    {
        List<string> names = Pipeline.Frontend.Passes.Select(p => p.Name).ToList();
        // Inlining splices callees into loops as imported; versioning matches loops as imported.
        Assert.True(names.IndexOf("version-loops-for-bounds-checks") < names.IndexOf("inline-straight-calls"));
        Assert.All(Pipeline.Frontend.Passes, p => Assert.False(string.IsNullOrWhiteSpace(p.Why)));
    }

    [Fact]
    public void Every_pass_reports_its_counts()
    {
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> counts = FrontendCompiler.Compile(
            typeof(Samples).GetMethod(nameof(Samples.Add))!, CompileOptions.Default, ScalarTypes.Instance, Pipeline.Frontend).PassCounts;
        Assert.Equal(Pipeline.Frontend.Passes.Select(p => p.Name), counts.Keys);
    }

    [Fact]
    public void A_pipeline_refuses_two_passes_of_one_name() =>
        Assert.Throws<ArgumentException>(() => new Pipeline([FrontendPasses.VersionLoops, FrontendPasses.VersionLoops]));
}
