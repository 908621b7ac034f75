namespace Targets.Parallel.Tests;

/// <summary>The shared differential corpus on the parallel target: everything the cpu target compiles, with the same results.</summary>
public sealed class ParallelDifferentialTests : DifferentialSuite
{
    static readonly ParallelTarget Parallel = new();

    protected override ITarget Target => Parallel;
}
