using BenchmarkDotNet.Attributes;
using Targets.Cli;
using Targets.Cpu;

namespace Targets.Bench;

/// <summary>
/// First-call latency: a new <see cref="CpuTarget"/> (so its cache cannot answer), Compile, the
/// typed delegate, one call. LLVM is initialised once in the setup, and three warm-up iterations
/// let .NET JIT the compiler itself, so what is left is the work a user pays per new method.
/// <see cref="Polynomial"/> is the ~20-line workload; <see cref="Add"/> the floor (a one-line method).
/// <see cref="PolynomialOnWarmTarget"/> separates the per-target cost from the per-method one: its
/// target is new but has already compiled <c>Add</c> (in the untimed iteration setup).
/// <see cref="DefineJitClass"/> is a user's first use of a jit class: <c>JitClass.Define</c> of a 3-field,
/// 2-method class, then Compile and a first call of a function that constructs one and calls both methods.
/// <see cref="PolynomialFullCompile"/> and <see cref="PolynomialFromDiskCache"/> release the function after
/// its call, so each iteration compiles it fully or loads it from the persistent cache;
/// <see cref="NBodyStepFullCompile"/> and <see cref="AddFullCompile"/> are issue 13's warm, no-cache goals.
/// </summary>
[Config(typeof(OneShotConfig))]
public class CompileLatencyBenchmarks
{
    const int Degree = 8;
    readonly double[] x = WorkloadData.Vector(1000);

    [GlobalSetup]
    public void Setup()
    {
        Agreement.Check("Polynomial", [WithNewTarget(CompilePolynomial)], [Workloads.Polynomial(x, Degree)]);
        Agreement.Check("UseAccumulator", [DefineJitClass()], [Workloads.UseAccumulator(1.5, 2.5)]);
    }

    [Benchmark(Baseline = true)]
    public double Polynomial() => WithNewTarget(CompilePolynomial);

    [Benchmark]
    public int Add() => WithNewTarget(target => target.Compile(Workloads.Add).AsDelegate<Func<int, int, int>>()(2, 3));

    [Benchmark]
    public double DefineJitClass() => WithNewTarget(target =>
    {
        _ = JitClass.Define<BenchAccumulator>();
        return target.Compile(Workloads.UseAccumulator).AsDelegate<Func<double, double, double>>()(1.5, 2.5);
    });

    CpuTarget? warm;

    [IterationSetup(Target = nameof(PolynomialOnWarmTarget))]
    public void WarmTarget()
    {
        warm = new CpuTarget();
        warm.Compile(Workloads.Add).AsDelegate<Func<int, int, int>>()(2, 3);
    }

    [Benchmark]
    public double PolynomialOnWarmTarget() => CompilePolynomial(warm!);

    [IterationCleanup(Target = nameof(PolynomialOnWarmTarget))]
    public void DisposeWarmTarget() => warm?.Dispose();

    /// <summary>A full compile (frontend, LLVM, load) each time: no on-disk cache, and the function released after its call.</summary>
    [Benchmark]
    public double PolynomialFullCompile() => CompileCallRelease(new CompileOptions { Cache = false });

    /// <summary>The same function loaded from the on-disk cache each time (key, read, load; no frontend, no LLVM), released after its call.</summary>
    [Benchmark]
    public double PolynomialFromDiskCache() => CompileCallRelease(CompileOptions.Default);

    /// <summary>The n-body step (Advance over an array of jit-class bodies) compiled fully each time (no cache), released.</summary>
    [Benchmark]
    public int NBodyStepFullCompile() => WithNewTarget(target =>
    {
        using CompiledFunction f = target.Compile(Workloads.AdvanceStep, new CompileOptions { Cache = false });
        return f.Timings.Phases.Count;
    });

    /// <summary>A one-line function compiled fully (no cache), called once, released.</summary>
    [Benchmark]
    public int AddFullCompile() => WithNewTarget(target =>
    {
        using CompiledFunction f = target.Compile(Workloads.Add, new CompileOptions { Cache = false });
        return f.AsDelegate<Func<int, int, int>>()(2, 3);
    });

    double CompileCallRelease(CompileOptions options) => WithNewTarget(target =>
    {
        using CompiledFunction f = target.Compile(Workloads.Polynomial, options);
        return f.AsDelegate<Func<double[], int, double>>()(x, Degree);
    });

    double CompilePolynomial(CpuTarget target) =>
        target.Compile(Workloads.Polynomial).AsDelegate<Func<double[], int, double>>()(x, Degree);

    /// <summary>Disposing the target (its LLJIT instance) is part of the measured time: it is what a fresh target costs.</summary>
    static T WithNewTarget<T>(Func<CpuTarget, T> compileAndCall)
    {
        using var target = new CpuTarget();
        return compileAndCall(target);
    }
}
