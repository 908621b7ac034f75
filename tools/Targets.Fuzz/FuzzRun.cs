using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Targets.Fuzz;

/// <summary>What a range of seeds showed, summed; serialisable so that batches run in child processes add up.</summary>
internal sealed record Summary
{
    public int Programs { get; set; }
    public int Runs { get; set; }
    public int GeneratorErrors { get; set; }
    public int Mismatches { get; set; }

    /// <summary>Compiler crashes: a compile that threw what is not a refusal, or a process that died checking a program (a native crash).</summary>
    public int Crashes { get; set; }

    /// <summary>Racy programs (a reachable <see cref="Generator.RacyWrite"/>) the parallel target refused, as it must: not failures.</summary>
    public int RacesRefused { get; set; }

    /// <summary>Programs a target refused by design (see <c>CudaTarget.IsRefusedByDesign</c>), counted, not failures.</summary>
    public int NotApplicable => RefusedByDesign.Values.Sum();

    /// <summary>The constructs behind <see cref="NotApplicable"/>, by the first words of each.</summary>
    public Dictionary<string, int> RefusedByDesign { get; set; } = [];
    public Dictionary<string, int> Rejections { get; set; } = [];

    /// <summary>How .NET's runs ended ("returned", or the exception type): the mix the generator reaches.</summary>
    public Dictionary<string, int> Endings { get; set; } = [];
    public List<string> Failures { get; set; } = [];
    public double Seconds { get; set; }

    public bool Clean => GeneratorErrors == 0 && Mismatches == 0 && Crashes == 0 && Rejections.Count == 0;

    public void Add(Summary other)
    {
        Programs += other.Programs;
        Runs += other.Runs;
        GeneratorErrors += other.GeneratorErrors;
        Mismatches += other.Mismatches;
        Crashes += other.Crashes;
        RacesRefused += other.RacesRefused;
        foreach ((string construct, int n) in other.RefusedByDesign)
            RefusedByDesign[construct] = RefusedByDesign.GetValueOrDefault(construct) + n;
        foreach ((string reason, int n) in other.Rejections)
            Rejections[reason] = Rejections.GetValueOrDefault(reason) + n;
        foreach ((string ending, int n) in other.Endings)
            Endings[ending] = Endings.GetValueOrDefault(ending) + n;
        Failures.AddRange(other.Failures);
        Seconds += other.Seconds;
    }

    public string Describe()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"programs {Programs}, compiled runs {Runs}, mismatches {Mismatches}, crashes {Crashes}, generator errors {GeneratorErrors}, rejections {Rejections.Values.Sum()}, refused by design {NotApplicable}, races refused {RacesRefused}, {Seconds:F0} s\n");
        text.Append("  runs ended: ").AppendJoin(", ", Endings.OrderByDescending(e => e.Value).Select(e => $"{e.Key} {e.Value}")).Append('\n');
        foreach ((string construct, int n) in RefusedByDesign.OrderByDescending(r => r.Value))
            text.Append(CultureInfo.InvariantCulture, $"  refused by design {n}x: {construct}…\n");
        foreach ((string reason, int n) in Rejections.OrderByDescending(r => r.Value))
            text.Append(CultureInfo.InvariantCulture, $"  rejected {n}x: {reason}\n");
        foreach (string failure in Failures)
            text.Append("  ").Append(failure).Append('\n');
        return text.ToString();
    }
}

/// <summary>
/// Runs seeds through the <see cref="Oracle"/>; each failing program is reduced and written (C#
/// plus its input) to the output folder. A rejection by a target counts as a failure: the generator
/// only writes what the README says is supported.
/// </summary>
internal static class FuzzRun
{
    /// <summary>What a batch child writes before checking a program (then its seed), and after it (then that program's summary as JSON).</summary>
    public const string SeedLine = "[seed] ", ResultLine = "[result] ";

    /// <summary>
    /// Checks seeds <paramref name="firstSeed"/>… in this process. With <paramref name="announce"/>, writes
    /// <see cref="SeedLine"/> and <see cref="ResultLine"/> around each program there: a batch child tells
    /// its parent which program it is on and what each showed, so that a crash costs that one program.
    /// </summary>
    public static Summary Run(int firstSeed, int count, IReadOnlyList<string> targets, string? outDirectory, bool reduce, TextWriter? progress = null, bool device = false,
        TextWriter? announce = null)
    {
        var summary = new Summary();
        var clock = Stopwatch.StartNew();
        for (int seed = firstSeed; seed < firstSeed + count; seed++)
        {
            announce?.WriteLine(SeedLine + seed.ToString(CultureInfo.InvariantCulture));
            announce?.Flush();
            double before = clock.Elapsed.TotalSeconds;
            Summary one = CheckSeed(seed, targets, outDirectory, reduce, device);
            one.Seconds = clock.Elapsed.TotalSeconds - before;
            announce?.WriteLine(ResultLine + JsonSerializer.Serialize(one));
            announce?.Flush();
            summary.Add(one);
            if (progress is not null && (seed - firstSeed + 1) % 100 == 0)
                progress.WriteLine($"[fuzz] {seed - firstSeed + 1}/{count} programs, {summary.Mismatches} mismatches, {summary.Crashes} crashes, {summary.Rejections.Values.Sum()} rejections, {clock.Elapsed.TotalSeconds:F0} s");
        }
        return summary;
    }

    /// <summary>One program through the oracle; what failed is reduced (when asked) and saved.</summary>
    static Summary CheckSeed(int seed, IReadOnlyList<string> targets, string? outDirectory, bool reduce, bool device)
    {
        var summary = new Summary();
        ProgramModel program = Generator.Generate(seed, device);
        Verdict verdict = Oracle.Check(program, targets);
        summary.Programs++;
        summary.Runs += verdict.Runs;
        summary.RacesRefused += verdict.RacesRefused;
        foreach (string construct in verdict.NotApplicable)
        {
            string kind = string.Join(' ', construct.Split(' ').Take(3));
            summary.RefusedByDesign[kind] = summary.RefusedByDesign.GetValueOrDefault(kind) + 1;
        }
        foreach ((string ending, int n) in verdict.Endings)
            summary.Endings[ending] = summary.Endings.GetValueOrDefault(ending) + n;
        if (verdict.GeneratorError is { } error)
        {
            summary.GeneratorErrors++;
            summary.Failures.Add($"seed {seed}: the generator wrote C# Roslyn rejects: {error.Split('\n')[0]}");
            Save(outDirectory, seed, "generator", program.Render() + "\n/*\n" + error + "\n*/\n");
        }
        foreach ((string target, string construct, string message) in verdict.Rejections)
        {
            summary.Rejections[construct] = summary.Rejections.GetValueOrDefault(construct) + 1;
            summary.Failures.Add($"seed {seed}: {target} rejected it: {message}");
            Save(outDirectory, seed, $"rejected-{target}", Repro(reduce ? Reducer.Reduce(program, p => Oracle.Check(p, [target]).Rejections.Any(r => r.Construct == construct)) : program, null, message));
        }
        foreach (Crash crash in verdict.Crashes)
        {
            summary.Crashes++;
            summary.Failures.Add($"seed {seed}: compiler crash on {crash.Target} ({crash.Kind}): {crash.Detail.Split('\n')[0]}");
            ProgramModel shown = reduce ? Reducer.Reduce(program, p => Oracle.Check(p, [crash.Target]).Crashes.Any(c => c.Kind == crash.Kind)) : program;
            Save(outDirectory, seed, $"crash-{crash.Target}", Repro(shown, null, $"compiler crash on {crash.Target} ({crash.Kind})\n{crash.Detail}"));
        }
        foreach (Mismatch m in verdict.Mismatches.GroupBy(m => m.Target).Select(g => g.First()))
        {
            summary.Mismatches++;
            summary.Failures.Add($"seed {seed}: {m.Target}, input {m.Input}: {m.Detail}");
            ProgramModel shown = program;
            if (reduce)
            {
                ProgramModel one = Reducer.KeepInput(program, m.Input);
                shown = Reducer.Reduce(one, p => Oracle.Check(p, [m.Target]).Mismatches.Any(x => x.Kind == m.Kind));
            }
            Save(outDirectory, seed, $"mismatch-{m.Target}", Repro(shown, m, m.Detail));
        }
        return summary;
    }

    /// <summary>A reduced program as C#, with its input as a comment: ready to paste into the differential corpus.</summary>
    public static string Repro(ProgramModel program, Mismatch? mismatch, string detail)
    {
        var text = new StringBuilder();
        text.Append("// ").Append(detail.Replace("\n", "\n// ", StringComparison.Ordinal)).Append('\n');
        if (mismatch is not null)
            text.Append("// target: ").Append(mismatch.Target).Append('\n');
        foreach (object?[] input in program.Inputs)
            text.Append("// Run(").Append(string.Join(", ", input.Take(7).Select(Show))).Append(", new long[64], new double[64])\n");
        text.Append(program.Render());
        return text.ToString();
    }

    static string Show(object? value) => value switch
    {
        int[] a => $"new int[] {{ {string.Join(", ", a)} }}",
        double[] a => $"new double[] {{ {string.Join(", ", a.Select(d => Show(d)))} }}",
        double d => double.IsNaN(d) ? "double.NaN" : double.IsInfinity(d) ? (d > 0 ? "double.PositiveInfinity" : "double.NegativeInfinity") : d.ToString("R", CultureInfo.InvariantCulture),
        float f => float.IsNaN(f) ? "float.NaN" : float.IsInfinity(f) ? (f > 0 ? "float.PositiveInfinity" : "float.NegativeInfinity") : f.ToString("R", CultureInfo.InvariantCulture) + "f",
        long l => l.ToString(CultureInfo.InvariantCulture) + "L",
        uint u => u.ToString(CultureInfo.InvariantCulture) + "U",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "null",
    };

    static void Save(string? directory, int seed, string what, string text)
    {
        if (directory is null)
            return;
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, $"seed{seed}-{what}.cs"), text);
    }

    /// <summary>
    /// Runs <paramref name="count"/> seeds in batches, each in a child process (compiled code stays in
    /// a process until it ends: batches keep memory bounded), and adds up what each program showed.
    /// A child that dies (a native crash) costs the program it was on: that program is counted as a
    /// crash, reduced in child processes of its own (when asked), and the batch goes on in a new
    /// child from the next seed. <paramref name="inject"/> is passed to the children as
    /// <c>TARGETS_FUZZ_INJECT</c> (see <see cref="Oracle.Injected"/>): the fuzzer's tests use it.
    /// </summary>
    public static Summary RunInBatches(int firstSeed, int count, int batch, IReadOnlyList<string> targets, string? outDirectory, bool reduce, TextWriter progress, bool device = false,
        string? inject = null)
    {
        var total = new Summary();
        var options = new ChildOptions(targets, outDirectory, reduce, device, inject);
        for (int start = firstSeed; start < firstSeed + count; start += batch)
        {
            int end = Math.Min(start + batch, firstSeed + count);
            var part = new Summary();
            for (int from = start; from < end;)
            {
                (int? dead, int exitCode) = RunChild(from, end - from, options, part);
                if (exitCode is 0 or 1)
                {
                    // A child that could not start (dotnet says 'file not found' with exit code 1) reports nothing: never a clean batch.
                    if (part.Programs < end - start)
                    {
                        part.Crashes++;
                        part.Failures.Add($"seeds {start}..{end - 1}: the batch process ended (exit code {exitCode}) having reported {part.Programs} of {end - start} programs");
                    }
                    break;
                }
                if (dead is not int seed)
                {
                    part.Crashes++;
                    part.Failures.Add($"seeds {from}..{end - 1}: the batch process ended with exit code {exitCode} before checking a program");
                    break;
                }
                part.Programs++;
                part.Crashes++;
                part.Failures.Add($"seed {seed}: the process died checking it (exit code {exitCode}: a native crash); the batch went on from seed {seed + 1}");
                progress.WriteLine($"[fuzz] seed {seed}: the batch process died (exit code {exitCode}); going on from seed {seed + 1}");
                if (reduce)
                {
                    ProgramModel program = Generator.Generate(seed, device);
                    ProgramModel shown = Reducer.Reduce(program, p => DiesAlone(p, options), budget: 120);
                    Save(outDirectory, seed, "crash-process", Repro(shown, null, $"the process died checking this program on {string.Join(", ", targets)} (exit code {exitCode})"));
                }
                from = seed + 1;
            }
            total.Add(part);
            progress.WriteLine($"[fuzz] seeds {start}..{end - 1}: {part.Describe().Split('\n')[0]}");
        }
        return total;
    }

    /// <summary>What every child of one run is told: targets, where repros go, whether to reduce, device programs, injected faults.</summary>
    internal sealed record ChildOptions(IReadOnlyList<string> Targets, string? OutDirectory, bool Reduce, bool Device, string? Inject);

    static ProcessStartInfo Child(ChildOptions options, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = false };
        info.ArgumentList.Add(typeof(FuzzRun).Assembly.Location);
        foreach (string a in arguments)
            info.ArgumentList.Add(a);
        info.ArgumentList.Add("--targets");
        info.ArgumentList.Add(string.Join(",", options.Targets));
        if (options.Inject is not null)
            info.Environment["TARGETS_FUZZ_INJECT"] = options.Inject;
        return info;
    }

    /// <summary>
    /// Checks seeds <paramref name="from"/>… in one child, adding what each program showed to
    /// <paramref name="part"/> as the child reports it; returns the seed it was on if it died, and its exit code.
    /// </summary>
    static (int? Dead, int ExitCode) RunChild(int from, int count, ChildOptions options, Summary part)
    {
        var arguments = new List<string> { "--seed", from.ToString(CultureInfo.InvariantCulture), "--count", count.ToString(CultureInfo.InvariantCulture),
            "--summary-json", "--announce", "--batch", "0" };
        if (options.OutDirectory is not null)
            arguments.AddRange(["--out", options.OutDirectory]);
        if (!options.Reduce)
            arguments.Add("--no-reduce");
        if (options.Device)
            arguments.Add("--device");
        using Process child = Process.Start(Child(options, arguments))!;
        int? current = null;
        while (child.StandardOutput.ReadLine() is { } line)
        {
            if (line.StartsWith(SeedLine, StringComparison.Ordinal))
                current = int.Parse(line.AsSpan(SeedLine.Length), CultureInfo.InvariantCulture);
            else if (line.StartsWith(ResultLine, StringComparison.Ordinal))
            {
                part.Add(JsonSerializer.Deserialize<Summary>(line.AsSpan(ResultLine.Length))!);
                current = null;
            }
        }
        child.WaitForExit();
        return (current, child.ExitCode);
    }

    /// <summary>Whether checking <paramref name="program"/> alone, in a child process, kills that process (what a reduction of a native crash keeps).</summary>
    internal static bool DiesAlone(ProgramModel program, ChildOptions options)
    {
        string file = Path.Combine(Path.GetTempPath(), $"targets-fuzz-replay-{Environment.ProcessId}-{Guid.NewGuid():N}.json");
        try
        {
            Replay.Of(program).Write(file);
            using Process child = Process.Start(Child(options, ["--replay", file, "--summary-json"]))!;
            bool summarised = false;
            while (child.StandardOutput.ReadLine() is { } line)
                summarised |= line.StartsWith('{');
            child.WaitForExit();
            return !summarised && child.ExitCode is not (0 or 1 or 2);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
