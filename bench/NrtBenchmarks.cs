using BenchmarkDotNet.Attributes;
using Targets.Cli;
using Targets.Cpu;

namespace Targets.Bench;

/// <summary>
/// NRT in compiled code: allocating and dropping a 16-double array (per iteration: NRT against
/// .NET's GC, and with NRT statistics off), and a hot loop reading through a helper call against
/// the same loop reading directly (reference counting must leave nothing in the loop).
/// </summary>
[Config(typeof(ShortConfig))]
public class NrtBenchmarks
{
    const int Iterations = 1_000_000;
    readonly double[] x = WorkloadData.Vector(10_000_000);
    CpuTarget? target;
    Func<int, double> allocate = null!;
    Func<double[], double> throughHelper = null!, direct = null!;

    [GlobalSetup]
    public void Setup()
    {
        target = new CpuTarget();
        allocate = target.Compile(Workloads.AllocateAndDrop).AsDelegate<Func<int, double>>();
        throughHelper = target.Compile(Workloads.SumThroughHelper).AsDelegate<Func<double[], double>>();
        direct = target.Compile(Workloads.SumDirect).AsDelegate<Func<double[], double>>();
        Agreement.Check("AllocateAndDrop", [allocate(1000)], [Workloads.AllocateAndDrop(1000)]);
        Agreement.Check("SumThroughHelper", [throughHelper(x)], [Workloads.SumThroughHelper(x)]);
    }

    [GlobalCleanup]
    public void Cleanup() => target?.Dispose();

    [Benchmark(OperationsPerInvoke = Iterations)]
    [BenchmarkCategory("allocate+drop")]
    public double AllocateDotNet() => Workloads.AllocateAndDrop(Iterations);

    [Benchmark(OperationsPerInvoke = Iterations)]
    [BenchmarkCategory("allocate+drop")]
    public double AllocateCpu() => allocate(Iterations);

    [Benchmark(OperationsPerInvoke = Iterations)]
    [BenchmarkCategory("allocate+drop")]
    public double AllocateCpuStatisticsOff()
    {
        Nrt.StatisticsEnabled = false;
        try
        {
            return allocate(Iterations);
        }
        finally
        {
            Nrt.StatisticsEnabled = true;
        }
    }

    [Benchmark]
    [BenchmarkCategory("hot loop")]
    public double SumDirectCpu() => direct(x);

    [Benchmark]
    [BenchmarkCategory("hot loop")]
    public double SumThroughHelperCpu() => throughHelper(x);
}
