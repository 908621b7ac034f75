using BenchmarkDotNet.Attributes;
using Targets.Cli;
using Targets.Cpu;

namespace Targets.Bench;

/// <summary>Σ x² over 10^7 doubles (80 MB, so partly memory-bound): .NET against the cpu target.</summary>
[Config(typeof(ShortConfig))]
public class SumOfSquaresBenchmarks
{
    readonly double[] x = WorkloadData.Vector(10_000_000);
    CpuTarget? target;
    Func<double[], double> cpu = null!;

    [GlobalSetup]
    public void Setup()
    {
        target = new CpuTarget();
        cpu = target.Compile(Workloads.SumOfSquares).AsDelegate<Func<double[], double>>();
        Agreement.Check("SumOfSquares", [cpu(x)], [Workloads.SumOfSquares(x)]);
    }

    [GlobalCleanup]
    public void Cleanup() => target?.Dispose();

    [Benchmark(Baseline = true)]
    public double DotNet() => Workloads.SumOfSquares(x);

    [Benchmark]
    public double Cpu() => cpu(x);
}
