using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Targets.Bench;

/// <summary>
/// The suite's job: BenchmarkDotNet's ShortRun (1 launch, 3 warm-ups, 3 iterations), in process.
/// In process, because a separate benchmark process would rebuild the whole solution per run,
/// which on a 2-core machine costs more than the measurements; the workloads are long enough
/// (or, for calls, looped) that the in-process harness adds nothing measurable.
/// </summary>
public sealed class ShortConfig : ManualConfig
{
    public ShortConfig()
    {
        AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithId("ShortRun-InProcess"));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(StatisticColumn.Median, StatisticColumn.Min);
    }
}

/// <summary>
/// For one-shot work (compiling): every iteration is exactly one invocation, no pilot, no
/// unrolling, 3 warm-ups then 15 measured iterations, so Median is the median of 15 compiles.
/// </summary>
public class OneShotConfig : ManualConfig
{
    public OneShotConfig()
        : this(warmups: 3, iterations: 15, "OneShot-InProcess")
    {
    }

    protected OneShotConfig(int warmups, int iterations, string id)
    {
        AddJob(Job.Default
            .WithStrategy(BenchmarkDotNet.Engines.RunStrategy.Monitoring)
            .WithLaunchCount(1).WithWarmupCount(warmups).WithIterationCount(iterations)
            .WithInvocationCount(1).WithUnrollFactor(1)
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithId(id));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(StatisticColumn.Median, StatisticColumn.Min, StatisticColumn.Max);
    }
}

/// <summary>One-shot work of seconds (a compile of 1,600 statements): one warm-up, five measured iterations.</summary>
public sealed class GrowthConfig : OneShotConfig
{
    public GrowthConfig()
        : base(warmups: 1, iterations: 5, "Growth-InProcess")
    {
    }
}
