using BenchmarkDotNet.Attributes;
using Targets.Cli;
using Targets.Cpu;
using Targets.Parallel;

namespace Targets.Bench;

/// <summary>
/// What a launch itself costs: an empty kernel (<c>ParallelWorkloads.Nothing</c>) launched over 1 and
/// 10 items by the cpu and parallel targets, through <c>Launch</c> and through a typed launcher
/// (<c>ITarget.Launcher</c>), beside .NET's loop over the same calls (baseline) and <c>Parallel.For</c>. Per launch.
/// </summary>
[Config(typeof(ShortConfig))]
public class LaunchBenchmarks
{
    readonly int[] data = new int[16];
    CpuTarget? cpu;
    ParallelTarget? parallel;
    Action<int, int[]> cpuTyped = null!, parallelTyped = null!;

    [Params(1, 10)]
    public int Items { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        cpu = new CpuTarget();
        parallel = new ParallelTarget();
        cpu.Launch(ParallelWorkloads.Nothing, Items, data); // compiles the launchers outside the timing
        parallel.Launch(ParallelWorkloads.Nothing, Items, data);
        cpuTyped = cpu.Launcher<Action<int, int[]>>(ParallelWorkloads.Nothing);
        parallelTyped = parallel.Launcher<Action<int, int[]>>(ParallelWorkloads.Nothing);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        cpu?.Dispose();
        parallel?.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void DotNetLoop()
    {
        for (int i = 0; i < Items; i++)
            ParallelWorkloads.Nothing(new Index1D(i), data);
    }

    [Benchmark]
    public void DotNetParallelFor() => System.Threading.Tasks.Parallel.For(0, Items, i => ParallelWorkloads.Nothing(new Index1D(i), data));

    [Benchmark]
    public void CpuLaunch() => cpu!.Launch(ParallelWorkloads.Nothing, Items, data);

    [Benchmark]
    public void ParallelLaunch() => parallel!.Launch(ParallelWorkloads.Nothing, Items, data);

    [Benchmark]
    public void CpuTypedLauncher() => cpuTyped(Items, data);

    [Benchmark]
    public void ParallelTypedLauncher() => parallelTyped(Items, data);
}
