using BenchmarkDotNet.Attributes;
using Targets.Cli;
using Targets.Cpu;

namespace Targets.Bench;

/// <summary>
/// .NET's handle on jit class instances: field get/set through a typed accessor and through
/// Get/Set, a method call through a typed delegate and through Invoke, construct + dispose.
/// (Numba's figures on this machine: field get 34 ns, set 224 ns, method call 300 ns, construct+dispose 4.4 µs.)
/// </summary>
[Config(typeof(ShortConfig))]
public class JitObjectBenchmarks
{
    CpuTarget? target;
    JitClassType type = null!;
    JitObject box = null!;
    JitAccessor<double> x;
    Func<JitObject, double> length = null!;

    [GlobalSetup]
    public void Setup()
    {
        target = new CpuTarget();
        type = JitClass.Define<BenchPoint>();
        box = target.New(type, 3.0, 4.0);
        x = type.Accessor<double>("X");
        length = target.Compile(typeof(BenchPoint).GetMethod(nameof(BenchPoint.Length))!).AsDelegate<Func<JitObject, double>>();
        Agreement.Check("BenchPoint.Length", [length(box)], [5.0]);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        box.Dispose();
        target?.Dispose();
    }

    [Benchmark]
    public double AccessorGet() => x.Get(box);

    [Benchmark]
    public void AccessorSet() => x.Set(box, 3.0);

    [Benchmark]
    public double GetByName() => box.Get<double>("X");

    [Benchmark]
    public void SetByName() => box.Set("X", 3.0);

    [Benchmark]
    public double MethodTypedDelegate() => length(box);

    [Benchmark]
    public object? MethodInvoke() => box.Invoke("Length");

    [Benchmark]
    public void ConstructAndDispose()
    {
        using JitObject made = target!.New(type, 1.0, 2.0);
    }
}
