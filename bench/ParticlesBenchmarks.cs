using BenchmarkDotNet.Attributes;
using Targets.Cli;
using Targets.Cpu;

namespace Targets.Bench;

/// <summary>
/// 1,000 jit class particles × 10,000 <c>Step(dt)</c> calls, built and walked as a linked list inside
/// the method: .NET running the C# with ordinary objects (baseline) against the cpu target.
/// </summary>
[Config(typeof(ShortConfig))]
public class ParticlesBenchmarks
{
    const int Count = 1_000, Steps = 10_000;
    CpuTarget? target;
    Func<int, int, double> cpu = null!;

    [GlobalSetup]
    public void Setup()
    {
        target = new CpuTarget();
        cpu = target.Compile(Workloads.Particles).AsDelegate<Func<int, int, double>>();
        Agreement.Check("Particles", [cpu(Count, Steps)], [Workloads.Particles(Count, Steps)]);
    }

    [GlobalCleanup]
    public void Cleanup() => target?.Dispose();

    [Benchmark(Baseline = true)]
    public double DotNet() => Workloads.Particles(Count, Steps);

    [Benchmark]
    public double Cpu() => cpu(Count, Steps);
}
