using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Targets;

/// <summary>
/// How long each phase of one compilation took, in the order the phases ran: import, each IR
/// pass, lowering to LLVM, LLVM optimisation, code generation and JIT link, and host stubs (made on
/// first use, so they appear when a delegate is first asked for). <see cref="CompiledFunction.Timings"/>
/// holds them; <c>Inspect(Stage.Timings)</c> prints them; <c>TARGETS_TIMINGS=1</c> prints every
/// compilation's to standard error as it completes. Thread-safe.
/// </summary>
public sealed class CompileTimings
{
    // A list of a class, not of (string, TimeSpan) tuples: .NET runs precompiled List code for it,
    // where a tuple list is JIT-compiled first — in every fresh process, on a cache hit's path.
    readonly List<PhaseTime> phases = [];

    sealed class PhaseTime(string phase, TimeSpan elapsed)
    {
        public string Phase { get; } = phase;

        public TimeSpan Elapsed { get; set; } = elapsed;
    }

    /// <summary>Whether <c>TARGETS_TIMINGS</c> asks for every compilation's timings on standard error.</summary>
    public static bool Print => TargetsSettings.Current.PrintTimings;

    /// <summary>The phases so far, in order (a phase run several times appears once, its times summed).</summary>
    public IReadOnlyList<(string Phase, TimeSpan Elapsed)> Phases
    {
        get
        {
            lock (phases)
                return [.. phases.Select(p => (p.Phase, p.Elapsed))];
        }
    }

    /// <summary>The sum of every phase.</summary>
    public TimeSpan Total
    {
        get
        {
            lock (phases)
                return phases.Aggregate(TimeSpan.Zero, (sum, p) => sum + p.Elapsed);
        }
    }

    /// <summary>Adds <paramref name="elapsed"/> to <paramref name="phase"/>.</summary>
    public void Add(string phase, TimeSpan elapsed)
    {
        ArgumentException.ThrowIfNullOrEmpty(phase);
        lock (phases)
        {
            if (phases.Find(p => p.Phase == phase) is { } known)
                known.Elapsed += elapsed;
            else
                phases.Add(new PhaseTime(phase, elapsed));
        }
    }

    /// <summary>Adds each phase of <paramref name="other"/> to this one's, in <paramref name="other"/>'s order.</summary>
    public void Add(CompileTimings other)
    {
        ArgumentNullException.ThrowIfNull(other);
        PhaseTime[] added;
        lock (other.phases)
            added = [.. other.phases];
        foreach (PhaseTime phase in added)
            Add(phase.Phase, phase.Elapsed);
    }

    /// <summary>Runs <paramref name="work"/>, adding its time to <paramref name="phase"/>.</summary>
    public T Measure<T>(string phase, Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        long start = Stopwatch.GetTimestamp();
        try
        {
            return work();
        }
        finally
        {
            Add(phase, Stopwatch.GetElapsedTime(start));
        }
    }

    /// <summary>Runs <paramref name="work"/>, adding its time to <paramref name="phase"/>.</summary>
    public void Measure(string phase, Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        Measure(phase, () =>
        {
            work();
            return 0;
        });
    }

    /// <summary>Writes the timings to standard error when <see cref="Print"/> is on, headed by <paramref name="what"/>.</summary>
    public void Report(string what)
    {
        if (Print)
            Console.Error.Write($"targets: compiled {what}\n{this}");
    }

    /// <summary>One line per phase (milliseconds, share of the total), then the total.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        TimeSpan total = Total;
        foreach ((string phase, TimeSpan elapsed) in Phases)
        {
            double share = total > TimeSpan.Zero ? elapsed / total : 0;
            text.Append(CultureInfo.InvariantCulture, $"  {phase,-36} {elapsed.TotalMilliseconds,9:F3} ms  {share,6:P1}\n");
        }
        return text.Append(CultureInfo.InvariantCulture, $"  {"total",-36} {total.TotalMilliseconds,9:F3} ms\n").ToString();
    }
}
