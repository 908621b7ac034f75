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

    /// <summary>Programs a target refused by design (see <c>CudaTarget.IsRefusedByDesign</c>), counted, not failures.</summary>
    public int NotApplicable => RefusedByDesign.Values.Sum();

    /// <summary>The constructs behind <see cref="NotApplicable"/>, by the first words of each.</summary>
    public Dictionary<string, int> RefusedByDesign { get; set; } = [];
    public Dictionary<string, int> Rejections { get; set; } = [];

    /// <summary>How .NET's runs ended ("returned", or the exception type): the mix the generator reaches.</summary>
    public Dictionary<string, int> Endings { get; set; } = [];
    public List<string> Failures { get; set; } = [];
    public double Seconds { get; set; }

    public bool Clean => GeneratorErrors == 0 && Mismatches == 0 && Rejections.Count == 0;

    public void Add(Summary other)
    {
        Programs += other.Programs;
        Runs += other.Runs;
        GeneratorErrors += other.GeneratorErrors;
        Mismatches += other.Mismatches;
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
        text.Append(CultureInfo.InvariantCulture, $"programs {Programs}, compiled runs {Runs}, mismatches {Mismatches}, generator errors {GeneratorErrors}, rejections {Rejections.Values.Sum()}, refused by design {NotApplicable}, {Seconds:F0} s\n");
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
    public static Summary Run(int firstSeed, int count, IReadOnlyList<string> targets, string? outDirectory, bool reduce, TextWriter? progress = null, bool device = false)
    {
        var summary = new Summary();
        var clock = Stopwatch.StartNew();
        for (int seed = firstSeed; seed < firstSeed + count; seed++)
        {
            ProgramModel program = Generator.Generate(seed, device);
            Verdict verdict = Oracle.Check(program, targets);
            summary.Programs++;
            summary.Runs += verdict.Runs;
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
            if (progress is not null && (seed - firstSeed + 1) % 100 == 0)
                progress.WriteLine($"[fuzz] {seed - firstSeed + 1}/{count} programs, {summary.Mismatches} mismatches, {summary.Rejections.Values.Sum()} rejections, {clock.Elapsed.TotalSeconds:F0} s");
        }
        summary.Seconds = clock.Elapsed.TotalSeconds;
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
    /// a process until it ends: batches keep memory bounded), and adds up their summaries.
    /// </summary>
    public static Summary RunInBatches(int firstSeed, int count, int batch, IReadOnlyList<string> targets, string? outDirectory, bool reduce, TextWriter progress, bool device = false)
    {
        var total = new Summary();
        string self = typeof(FuzzRun).Assembly.Location;
        for (int start = firstSeed; start < firstSeed + count; start += batch)
        {
            int size = Math.Min(batch, firstSeed + count - start);
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = false };
            foreach (string a in new[] { self, "--seed", start.ToString(CultureInfo.InvariantCulture), "--count", size.ToString(CultureInfo.InvariantCulture),
                "--targets", string.Join(",", targets), "--summary-json", "--batch", "0" })
                info.ArgumentList.Add(a);
            if (outDirectory is not null)
            {
                info.ArgumentList.Add("--out");
                info.ArgumentList.Add(outDirectory);
            }
            if (!reduce)
                info.ArgumentList.Add("--no-reduce");
            if (device)
                info.ArgumentList.Add("--device");
            using Process child = Process.Start(info)!;
            string output = child.StandardOutput.ReadToEnd();
            child.WaitForExit();
            string? json = output.Split('\n').LastOrDefault(l => l.StartsWith('{'));
            Summary part = json is null ? new Summary { Failures = { $"seeds {start}..{start + size - 1}: the batch process ended with exit code {child.ExitCode} and no summary (a crash)" }, Mismatches = 1 }
                : JsonSerializer.Deserialize<Summary>(json)!;
            total.Add(part);
            progress.WriteLine($"[fuzz] seeds {start}..{start + size - 1}: {part.Describe().Split('\n')[0]}");
        }
        return total;
    }
}
