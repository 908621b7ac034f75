namespace Targets.Cli;

/// <summary>
/// One cell of <c>targets bench</c>: a workload on one side (.NET, .NET Parallel.For or a target),
/// timed per operation — median of the runs after a warm-up, with the fastest and slowest — its
/// speed-up over .NET (.NET's median over this median), and whether its result was checked
/// against .NET's before timing. A side that could not run has an <see cref="Error"/> and no times.
/// </summary>
internal sealed record BenchResult(string Workload, string Id, string Size, string Target,
    double? MedianNs, double? MinNs, double? MaxNs, int Runs, double? SpeedUp, bool Verified, string Check, string? Error)
{
    /// <summary>.NET itself: the oracle every other side is checked against.</summary>
    public bool IsBaseline => Target == ".NET";
}
