using System.Diagnostics;

namespace Targets.Cli;

/// <summary>
/// <c>targets bench</c>: lists the targets found, then runs every <see cref="Workloads"/> method on
/// plain .NET and on each available target, and prints one table: best and median time, speed-up
/// over .NET, and whether the result matches .NET's. Exit code 1 when a target fails or disagrees.
/// The BenchmarkDotNet suite in <c>bench/</c> measures the same methods more carefully.
/// </summary>
internal static class BenchCommand
{
    /// <summary>Results may differ from .NET's by rounding (e.g. fused multiply-add), not more.</summary>
    const double Tolerance = 1e-9;

    static readonly string[] Header = ["workload", "size", "target", "best", "median", "runs", "vs .NET", "check"];

    internal static int Run(TextWriter output) => Run(output, BenchSettings.Full);

    internal static int Run(TextWriter output, BenchSettings settings)
    {
        output.WriteLine("targets found:");
        DevicesCommand.Run(output);
        output.WriteLine();

        var clock = Stopwatch.StartNew();
        IReadOnlyList<BenchTarget> targets = BenchTarget.Discover();
        var rows = new List<string[]> { Header };
        var errors = new List<string>();
        foreach (BenchWorkload workload in BenchWorkload.All(settings))
        {
            BenchRunner net = workload.OnNet();
            double[] oracle = net.Result();
            Timing? baseline = null;
            if (net.Timed is not null)
            {
                baseline = Timing.Measure(net.Timed, warmups: 1, settings.Runs, settings.Budget, workload.Operations);
                rows.Add(Row(workload, ".NET", baseline.Value, "1.00x", "oracle"));
            }
            if (workload.OnNetParallel is { } parallel)
            {
                BenchRunner runner = parallel();
                double error = WorkloadData.MaxRelativeError(runner.Result(), oracle);
                Timing time = Timing.Measure(runner.Timed!, warmups: 1, settings.Runs, settings.Budget, workload.Operations);
                rows.Add(Row(workload, ".NET Parallel.For", time, baseline is { } b ? $"{b.BestNs / time.BestNs:F2}x" : "-", Check(error)));
                if (error > Tolerance)
                    errors.Add($"{workload.Name} with Parallel.For: result differs from .NET's (max. relative error {error:G3})");
            }
            foreach (BenchTarget target in targets)
            {
                if (target.Create is null)
                    continue;
                string? error = RunOnTarget(workload, target, settings, oracle, baseline, rows);
                if (error is not null)
                    errors.Add($"{workload.Name} on {target.Name}: {error}");
            }
        }

        Print(output, rows);
        foreach (BenchTarget target in targets.Where(t => t.NotRun is not null))
            output.WriteLine($"{target.Name}: {target.NotRun}");
        foreach (string error in errors)
            output.WriteLine($"error: {error}");
        output.WriteLine($"bench finished in {clock.Elapsed.TotalSeconds:F1} s; times are per call, best and median of the runs after one warm-up.");
        return errors.Count == 0 ? 0 : 1;
    }

    /// <summary>Checks, then times, one workload on one target; adds its row and returns an error, if any.</summary>
    static string? RunOnTarget(BenchWorkload workload, BenchTarget target, BenchSettings settings,
        double[] oracle, Timing? baseline, List<string[]> rows)
    {
        var made = new List<ITarget>();
        try
        {
            BenchRunner runner = workload.OnTarget(() =>
            {
                ITarget instance = target.Create!();
                made.Add(instance);
                return instance;
            });
            double error = WorkloadData.MaxRelativeError(runner.Result(), oracle);
            string check = Check(error);
            Timing time = Timing.Measure(runner.Timed!, warmups: 1, settings.Runs, settings.Budget, workload.Operations);
            string speedUp = baseline is { } b ? $"{b.BestNs / time.BestNs:F2}x" : "-";
            rows.Add(Row(workload, target.Name, time, speedUp, check));
            return error <= Tolerance ? null : $"result differs from .NET's (max. relative error {error:G3})";
        }
#pragma warning disable CA1031 // any failure of a target is reported in the table and the exit code, and the run goes on
        catch (Exception e)
#pragma warning restore CA1031
        {
            rows.Add([workload.Name, workload.Size, target.Name, "-", "-", "-", "-", "error"]);
            return $"{e.GetType().Name}: {e.Message}";
        }
        finally
        {
            foreach (IDisposable disposable in made.OfType<IDisposable>())
                disposable.Dispose();
        }
    }

    static string Check(double error) => error == 0 ? "ok" : error <= Tolerance ? $"ok (rel. err. {error:0.0e0})" : $"WRONG (rel. err. {error:0.0e0})";

    static string[] Row(BenchWorkload workload, string target, Timing time, string speedUp, string check) =>
        [workload.Name, workload.Size, target, Timing.Format(time.BestNs), Timing.Format(time.MedianNs),
         time.Runs.ToString(), speedUp, check];

    /// <summary>Columns padded to their widest cell; times and ratios aligned right.</summary>
    static void Print(TextWriter output, List<string[]> rows)
    {
        int[] widths = Enumerable.Range(0, Header.Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        bool[] right = [false, false, false, true, true, true, true, false];
        foreach (string[] row in rows)
        {
            IEnumerable<string> cells = row.Select((cell, c) => right[c] ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]));
            output.WriteLine(string.Join("  ", cells).TrimEnd());
        }
    }
}
