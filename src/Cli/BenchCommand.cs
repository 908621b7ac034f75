using System.Diagnostics;

namespace Targets.Cli;

/// <summary>What <c>targets bench</c> was asked for: which targets and workloads, how big, how many runs.</summary>
internal sealed record BenchRequest(BenchSettings Settings, IReadOnlyCollection<string>? Targets = null, IReadOnlyCollection<string>? Workloads = null);

/// <summary>
/// <c>targets bench</c>'s measurements: every chosen workload on plain .NET (the baseline and the
/// oracle), on .NET's Parallel.For where the work has a parallel form, and on each chosen target
/// that can run here. Each side's result is checked against .NET's before it is timed; a side
/// that disagrees or fails is a row saying so, and <see cref="BenchReport.Failed"/> says the run
/// failed. Rendering (table, JSON, markdown, chart) is <see cref="BenchOutput"/>'s.
/// </summary>
internal static class BenchCommand
{
    /// <summary>Results may differ from .NET's by rounding (e.g. fused multiply-add), not more.</summary>
    const double Tolerance = 1e-9;

    /// <summary>Runs the request; <paramref name="progress"/> hears of each side before it runs.</summary>
    internal static BenchReport Run(BenchRequest request, Action<string, int, int>? progress = null)
    {
        var clock = Stopwatch.StartNew();
        BenchSettings settings = request.Settings;
        IReadOnlyList<BenchTarget> targets = BenchTarget.Discover(request.Targets);
        List<BenchWorkload> workloads = BenchWorkload.All(settings).Where(w => request.Workloads is null || request.Workloads.Contains(w.Id)).ToList();
        var results = new List<BenchResult>();
        static bool Runs(BenchWorkload w, BenchTarget t) => t.Create is not null && (w.Kernel || !t.KernelsOnly) && (w.OnlyOn is null || w.OnlyOn == t.Name);
        int total = workloads.Sum(w => 1 + (w.OnNetParallel is null ? 0 : 1) + targets.Count(t => Runs(w, t)));
        int done = 0;
        void Step(string what) => progress?.Invoke(what, done++, total);
        foreach (BenchWorkload workload in workloads)
        {
            Step($"{workload.Name} on .NET");
            BenchRunner net = workload.OnNet();
            double[] oracle = net.Result();
            double? baseline = null;
            if (net.Timed is not null)
            {
                Timing time = Timing.Measure(net.Timed, warmups: 1, settings.Runs, settings.Budget, workload.Operations);
                baseline = time.MedianNs;
                results.Add(Result(workload, ".NET", time, 1.0, "oracle"));
            }
            if (workload.OnNetParallel is { } parallel)
            {
                Step($"{workload.Name} on .NET Parallel.For");
                results.Add(Measure(workload, ".NET Parallel.For", parallel, settings, oracle, baseline));
            }
            foreach (BenchTarget target in targets.Where(t => Runs(workload, t)))
            {
                Step($"{workload.Name} on {target.Name}");
                results.Add(RunOnTarget(workload, target, settings, oracle, baseline));
            }
        }
        FirstCallTimes? firstCall = null;
        if (targets.Any(t => t.Name == "cpu" && t.Create is not null) && request.Workloads is null)
        {
            progress?.Invoke("first call in fresh processes (cpu)", total, total);
            firstCall = FirstCall.Run(settings.Runs >= 9 ? 3 : 1);
        }
        progress?.Invoke("done", total, total);
        var notRun = targets.Where(t => t.NotRun is not null).Select(t => (t.Name, t.NotRun!)).ToList();
        if (targets.Any(t => t.KernelsOnly && t.Create is not null))
            notRun.Add(("cuda", "runs the kernel workloads only (Saxpy kernel, launches); the others are host functions"));
        foreach (string only in workloads.Select(w => w.OnlyOn).OfType<string>().Distinct().Where(only => !targets.Any(t => t.Name == only && t.Create is not null)))
            notRun.Add((only, $"not asked for: {string.Join(", ", workloads.Where(w => w.OnlyOn == only).Select(w => w.Name).Distinct())} run on {only} alone (add it to --targets)"));
        return new BenchReport(results, notRun, clock.Elapsed) { EngineStart = Targets.Cpu.HostTarget.EngineTimings.Total, FirstCall = firstCall };
    }

    /// <summary>Checks, then times, one workload on one target.</summary>
    static BenchResult RunOnTarget(BenchWorkload workload, BenchTarget target, BenchSettings settings, double[] oracle, double? baseline)
    {
        var made = new List<ITarget>();
        try
        {
            return Measure(workload, target.Name, () => workload.OnTarget(() =>
            {
                ITarget instance = target.Create!();
                made.Add(instance);
                return instance;
            }), settings, oracle, baseline);
        }
        finally
        {
            foreach (IDisposable disposable in made.OfType<IDisposable>())
                disposable.Dispose();
        }
    }

    static BenchResult Measure(BenchWorkload workload, string side, Func<BenchRunner> make, BenchSettings settings, double[] oracle, double? baseline)
    {
        try
        {
            BenchRunner runner = make();
            // A workload timed once is checked after its run, on that run's result.
            Timing? once = workload.Once ? Timing.Measure(runner.Timed!, warmups: 0, runs: 1, TimeSpan.Zero, workload.Operations) : null;
            double error = WorkloadData.MaxRelativeError(runner.Result(), oracle);
            if (error > Tolerance)
                return new BenchResult(workload.Name, workload.Id, workload.Size, side, null, null, null, 0, null, false,
                    $"WRONG (rel. err. {error:0.0e0})", $"result differs from .NET's (max. relative error {error:G3})");
            Timing time = once ?? Timing.Measure(runner.Timed!, warmups: 1, settings.Runs, settings.Budget, workload.Operations);
            return Result(workload, side, time, baseline is { } b ? b / time.MedianNs : null, error == 0 ? "ok" : $"ok (rel. err. {error:0.0e0})");
        }
#pragma warning disable CA1031 // any failure of a side is reported in its row and the exit code, and the run goes on
        catch (Exception e)
#pragma warning restore CA1031
        {
            return new BenchResult(workload.Name, workload.Id, workload.Size, side, null, null, null, 0, null, false, "error", $"{e.GetType().Name}: {e.Message}");
        }
    }

    static BenchResult Result(BenchWorkload workload, string side, Timing time, double? speedUp, string check) =>
        new(workload.Name, workload.Id, workload.Size, side, time.MedianNs, time.BestNs, time.WorstNs, time.Runs, speedUp, true, check, null);
}

/// <summary>A finished <c>targets bench</c>: its rows, the targets that did not run and why, and how long it took.</summary>
internal sealed record BenchReport(IReadOnlyList<BenchResult> Results, IReadOnlyList<(string Target, string Why)> NotRun, TimeSpan Elapsed)
{
    /// <summary>What the process paid once, at its first compilation: loading LLVM and creating the JIT, compiling the NRT runtime or loading it from the cache (the cold part of compile latency).</summary>
    public TimeSpan EngineStart { get; init; }

    /// <summary>The first compiled call in fresh processes, with an empty and a warm on-disk cache (when the cpu target and every workload ran).</summary>
    public FirstCallTimes? FirstCall { get; init; }

    /// <summary>A side disagreed with .NET or failed: the exit code says so.</summary>
    public bool Failed => Results.Any(r => r.Error is not null);
}
