
namespace Targets.Cpu.Tests;

/// <summary>Every compilation records its phases: the frontend's, each pass, lowering, LLVM, the JIT, and host stubs as they are made.</summary>
public sealed class CompileTimingsTests
{
    public static double Poly(double x) => ((x * 3 + 2) * x - 1) * x + 7;

    [Fact]
    public void A_compiled_function_reports_each_phase()
    {
        using var cpu = new CpuTarget();
        CompiledFunction f = cpu.Compile(Poly, new CompileOptions { Cache = false }); // the pipeline's phases, not a cache hit's
        string[] phases = [.. f.Timings.Phases.Select(p => p.Phase)];
        Assert.Equal("import IL", phases[0]);
        Assert.Contains("pass insert-refcounts", phases);
        Assert.Contains("lower to LLVM", phases);
        Assert.Contains("LLVM optimise (default<O3>)", phases);
        Assert.Equal("JIT: code generation and link", phases[^1]);
        Assert.All(f.Timings.Phases, p => Assert.True(p.Elapsed >= TimeSpan.Zero));
        Assert.Equal(f.Timings.Phases.Aggregate(TimeSpan.Zero, (sum, p) => sum + p.Elapsed), f.Timings.Total);

        f.AsDelegate<Func<double, double>>();
        Assert.Equal("host stub (Func`2)", f.Timings.Phases[^1].Phase);
        string text = f.Inspect(Stage.Timings);
        Assert.Contains("lower to LLVM", text, StringComparison.Ordinal);
        Assert.Contains("total", text, StringComparison.Ordinal);
        // The runtime came built with the compiler (the test build has LLVM), so none of it was compiled here.
        Assert.True(HostTarget.Runtime.Prebuilt);
        Assert.Contains(HostTarget.EngineTimings.Phases, p => p.Phase == "NRT runtime (built with the compiler): load");
        Assert.DoesNotContain(HostTarget.EngineTimings.Phases, p => p.Phase == "NRT runtime: optimise (default<O2>)");
    }

    [Fact]
    public void A_phase_measured_twice_appears_once_with_both_times()
    {
        var timings = new CompileTimings();
        timings.Add("a", TimeSpan.FromMilliseconds(2));
        timings.Add("b", TimeSpan.FromMilliseconds(1));
        timings.Add("a", TimeSpan.FromMilliseconds(3));
        Assert.Equal([("a", TimeSpan.FromMilliseconds(5)), ("b", TimeSpan.FromMilliseconds(1))], timings.Phases);
        Assert.Equal(TimeSpan.FromMilliseconds(6), timings.Total);
    }

    [Fact]
    public void TARGETS_TIMINGS_prints_each_compilation()
    {
        var result = ChildProcess.Run(typeof(CompileTimingsProbe), nameof(CompileTimingsProbe.Run), TimeSpan.FromMinutes(2),
            new Dictionary<string, string> { ["TARGETS_TIMINGS"] = "1", ["TARGETS_CACHE"] = "0" }); // compiled, not loaded from the cache

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("targets: compiled the process's JIT", result.Output, StringComparison.Ordinal);
        Assert.Contains("targets: compiled the process's NRT runtime", result.Output, StringComparison.Ordinal);
        Assert.Contains("NRT runtime (built with the compiler): load", result.Output, StringComparison.Ordinal);
        Assert.Contains("targets: compiled CompileTimingsTests.Poly (cpu)", result.Output, StringComparison.Ordinal);
        Assert.Contains("LLVM optimise (default<O3>)", result.Output, StringComparison.Ordinal);
    }
}

/// <summary>Compiles one function in a child process started with TARGETS_TIMINGS=1.</summary>
public static class CompileTimingsProbe
{
    public static int Run()
    {
        using var cpu = new CpuTarget();
        return cpu.Compile(CompileTimingsTests.Poly).AsDelegate<Func<double, double>>()(1) == 11 ? 0 : 1;
    }
}
