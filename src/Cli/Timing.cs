using System.Diagnostics;

namespace Targets.Cli;

/// <summary>Best, median and worst time of one operation over several timed runs.</summary>
internal readonly record struct Timing(double BestNs, double MedianNs, double WorstNs, int Runs)
{
    /// <summary>
    /// Runs <paramref name="action"/> <paramref name="warmups"/> times untimed, then times it up to
    /// <paramref name="runs"/> times, stopping early (after at least three runs) once
    /// <paramref name="budget"/> is spent. Each run performs <paramref name="operations"/>
    /// operations; the figures are per operation.
    /// </summary>
    internal static Timing Measure(Action action, int warmups, int runs, TimeSpan budget, int operations = 1)
    {
        for (int i = 0; i < warmups; i++)
            action();
        var samples = new List<double>(runs);
        var total = Stopwatch.StartNew();
        while (samples.Count < runs && (samples.Count < 3 || total.Elapsed < budget))
        {
            long start = Stopwatch.GetTimestamp();
            action();
            samples.Add((Stopwatch.GetTimestamp() - start) * 1e9 / Stopwatch.Frequency / operations);
        }
        samples.Sort();
        return new Timing(samples[0], samples[samples.Count / 2], samples[^1], samples.Count);
    }

    /// <summary>A time in ns, µs, ms or s, four significant digits at most.</summary>
    internal static string Format(double ns) => ns switch
    {
        < 1e3 => $"{ns:F2} ns",
        < 1e6 => $"{ns / 1e3:F2} µs",
        < 1e9 => $"{ns / 1e6:F2} ms",
        _ => $"{ns / 1e9:F2} s",
    };
}
