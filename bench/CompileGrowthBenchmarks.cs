using System.Reflection;
using BenchmarkDotNet.Attributes;
using Targets.Cli;
using Targets.Cpu;

namespace Targets.Bench;

/// <summary>
/// How compile time grows with one method's size: a generated method of <see cref="Statements"/>
/// statements (a quarter of them loops over arrays, the rest arithmetic, branches and Math calls)
/// compiled from scratch (no cache) by a new <see cref="CpuTarget"/> and called once. Divide by the
/// size for the per-statement cost (<c>targets bench</c>'s rows do); docs/benchmarks.md holds the figures.
/// </summary>
[Config(typeof(GrowthConfig))]
public class CompileGrowthBenchmarks
{
    MethodInfo body = null!;
    readonly double[] a = [.. Enumerable.Range(0, 16).Select(i => 0.5 + i % 5)];

    [Params(100, 400, 1600)]
    public int Statements { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        body = GeneratedWorkloads.Statements(Statements);
        Agreement.Check("generated statements", [CompileStatements()], [(double)body.Invoke(null, [a.ToArray(), a.ToArray()])!]);
    }

    [Benchmark]
    public double CompileStatements()
    {
        using var target = new CpuTarget();
        using CompiledFunction compiled = target.Compile(body, CompileOptions.Default with { Cache = false });
        return (double)compiled.Invoke(a.ToArray(), a.ToArray())!;
    }
}

/// <summary>
/// How compile time grows with the call graph: <see cref="Methods"/> generated methods (each a short
/// loop, a branch and two calls to later ones) compiled from their root, no cache, and called once.
/// </summary>
[Config(typeof(GrowthConfig))]
public class CallGraphGrowthBenchmarks
{
    MethodInfo root = null!;
    readonly double[] a = [.. Enumerable.Range(0, 16).Select(i => 0.5 + i % 5)];

    [Params(50, 200, 800)]
    public int Methods { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        root = GeneratedWorkloads.CallGraph(Methods);
        Agreement.Check("generated call graph", [CompileCallGraph()], [(double)root.Invoke(null, [a.ToArray(), 0])!]);
    }

    [Benchmark]
    public double CompileCallGraph()
    {
        using var target = new CpuTarget();
        using CompiledFunction compiled = target.Compile(root, CompileOptions.Default with { Cache = false });
        return (double)compiled.Invoke(a.ToArray(), 0)!;
    }
}
