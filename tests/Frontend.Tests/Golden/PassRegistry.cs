using Targets.Cuda.Lowering;
using Targets.Frontend.Passes;
using Targets.Parallel;
using Targets.Runtime.Passes;

namespace Targets.Frontend.Tests.Golden;

/// <summary>
/// Every target's pipeline, and every pass of them by name: what golden files name in their
/// <c>; pass:</c> or <c>; test:</c> line, and what the harness checks each has a file for.
/// </summary>
public static class PassRegistry
{
    /// <summary>The pipelines by target (cuda's without bounds checks: the longer one, a superset of the checked one).</summary>
    public static IReadOnlyDictionary<string, Pipeline> Pipelines { get; } = new Dictionary<string, Pipeline>
    {
        ["cpu"] = NrtPasses.Pipeline,
        ["parallel"] = ParallelPasses.Pipeline,
        ["cuda"] = CudaPasses.Unchecked,
    };

    /// <summary>Each pass once, by name (passes shared by pipelines are the same object).</summary>
    public static IReadOnlyDictionary<string, Pass> Passes { get; } = Pipelines.Values
        .SelectMany(p => p.Passes)
        .DistinctBy(p => p.Name)
        .ToDictionary(p => p.Name);

    public static Pass Named(string name) =>
        Passes.TryGetValue(name, out Pass? pass) ? pass : throw new ArgumentException($"No pipeline has a pass named '{name}'.", nameof(name));
}
