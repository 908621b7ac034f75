using BenchmarkDotNet.Attributes;
using Targets.Cli;
using Targets.Cpu;

namespace Targets.Bench;

/// <summary>
/// What one call into compiled <c>int Add(int, int)</c> costs, in ns per call (each invocation
/// makes 1000 dependent calls). Baseline: the .NET static call, which RyuJIT inlines, so it is the
/// floor; the .NET delegate is the fair comparison for the typed delegate. <see cref="CpuInvoke"/>
/// is the boxed slow path, for scale.
/// </summary>
[Config(typeof(ShortConfig))]
public class CallOverheadBenchmarks
{
    const int Calls = 1000;
    CpuTarget? target;
    CompiledFunction compiled = null!;
    Func<int, int, int> cpu = null!;
    readonly Func<int, int, int> dotnet = Workloads.Add;

    [GlobalSetup]
    public void Setup()
    {
        target = new CpuTarget();
        compiled = target.Compile(Workloads.Add);
        cpu = compiled.AsDelegate<Func<int, int, int>>();
        Agreement.Check("Add", [cpu(2, 3), cpu(int.MaxValue, 1), (int)compiled.Invoke(-7, 4)!],
            [Workloads.Add(2, 3), Workloads.Add(int.MaxValue, 1), -3]);
    }

    [GlobalCleanup]
    public void Cleanup() => target?.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Calls)]
    public int DotNetStaticCall()
    {
        int s = 0;
        for (int i = 0; i < Calls; i++)
            s = Workloads.Add(s, i);
        return s;
    }

    [Benchmark(OperationsPerInvoke = Calls)]
    public int DotNetDelegate()
    {
        int s = 0;
        for (int i = 0; i < Calls; i++)
            s = dotnet(s, i);
        return s;
    }

    [Benchmark(OperationsPerInvoke = Calls)]
    public int CpuTypedDelegate()
    {
        int s = 0;
        for (int i = 0; i < Calls; i++)
            s = cpu(s, i);
        return s;
    }

    [Benchmark]
    public object? CpuInvoke() => compiled.Invoke(2, 3);
}
