using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Spectre.Console;
using Targets.Llvm;

namespace Targets.Cli;

/// <summary>
/// How a <see cref="BenchReport"/> is shown: a table on the terminal (Spectre.Console; plain text
/// when the output is redirected or colour is off), and on request JSON (every row with
/// <c>"verified"</c>), a markdown table with the command and the machine (what docs/benchmarks.md
/// holds) and a chart (<see cref="BenchChart"/>).
/// </summary>
internal static class BenchOutput
{
    static readonly string[] Header = ["workload", "size", "target", "median", "min – max", "runs", "vs .NET", "check"];

    /// <summary>The machine the figures come from, in one line.</summary>
    internal static string Machine =>
        $"{LlvmTargets.HostCpu}, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}";

    static string[] Cells(BenchResult r) =>
    [
        r.Workload, r.Size, r.Target,
        r.MedianNs is { } m ? Timing.Format(m) : "-",
        r.MinNs is { } min && r.MaxNs is { } max ? $"{Timing.Format(min)} – {Timing.Format(max)}" : "-",
        r.Runs.ToString(CultureInfo.InvariantCulture),
        r.SpeedUp is { } s ? $"{s:F2}x" : "-",
        r.Error is null ? r.Check : $"{r.Check}: {r.Error}",
    ];

    /// <summary>The table, to <paramref name="output"/>; with colour when <paramref name="color"/>.</summary>
    internal static void Table(BenchReport report, TextWriter output, bool color)
    {
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = color ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = color ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        var table = new Table().Border(color ? TableBorder.Rounded : TableBorder.Simple);
        foreach ((string column, int n) in Header.Select((c, n) => (c, n)))
            table.AddColumn(new TableColumn(column) { Alignment = n is >= 3 and <= 6 ? Justify.Right : Justify.Left });
        foreach (BenchResult r in report.Results)
        {
            string style = r.Error is not null ? "red" : r.IsBaseline ? "grey" : r.SpeedUp is > 1.05 ? "green" : "default";
            table.AddRow(Cells(r).Select(cell => (Spectre.Console.Rendering.IRenderable)new Text(cell, color ? new Style(Color.FromConsoleColor(Parse(style))) : Style.Plain)).ToArray());
        }
        if (console.Profile.Width < 100)
            console.Profile.Width = 200; // redirected output: never wrap a row
        console.Write(table);
        foreach ((string target, string why) in report.NotRun)
            console.WriteLine($"{target}: {why}");
        console.WriteLine(ColdStart(report));
        foreach (BenchResult r in report.Results.Where(r => r.Error is not null))
            console.WriteLine($"error: {r.Workload} on {r.Target}: {r.Error}");
        console.WriteLine($"bench finished in {report.Elapsed.TotalSeconds:F1} s on {Machine}; times are per operation: the median of the runs after one warm-up, with the fastest and slowest.");
    }

    /// <summary>The cold part of compile latency, paid once per process before the first function.</summary>
    static string ColdStart(BenchReport report) =>
        $"cold start (once per process, before the first compilation: LLVM loaded, JIT created, the NRT runtime built with the compiler loaded): {report.EngineStart.TotalMilliseconds:F0} ms; " +
        "warm compiles are the \"Compile latency, warm\" rows, loads from the on-disk cache the \"Compile latency, disk cache\" rows" +
        (report.FirstCall is { } first
            ? $"; first call in a fresh process (binary-trees on cpu, compile + call, process start excluded): {first.EmptyCacheMs:F0} ms with an empty cache, {first.WarmCacheMs:F0} ms from the on-disk cache."
            : ".");

    static ConsoleColor Parse(string style) => style switch
    {
        "red" => ConsoleColor.Red,
        "grey" => ConsoleColor.Gray,
        "green" => ConsoleColor.Green,
        _ => ConsoleColor.White,
    };

    /// <summary>The report as JSON: the command, the machine, and one object per row.</summary>
    internal static string Json(BenchReport report, string command) =>
        JsonSerializer.Serialize(new
        {
            command,
            machine = Machine,
            date = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            seconds = Math.Round(report.Elapsed.TotalSeconds, 1),
            engineStartMs = Math.Round(report.EngineStart.TotalMilliseconds, 1),
            firstCall = report.FirstCall is { } first ? new { emptyCacheMs = Math.Round(first.EmptyCacheMs, 1), warmCacheMs = Math.Round(first.WarmCacheMs, 1) } : null,
            notRun = report.NotRun.Select(n => new { target = n.Target, why = n.Why }),
            rows = report.Results.Select(r => new
            {
                workload = r.Workload,
                id = r.Id,
                size = r.Size,
                target = r.Target,
                medianNs = r.MedianNs,
                minNs = r.MinNs,
                maxNs = r.MaxNs,
                runs = r.Runs,
                speedUp = r.SpeedUp,
                verified = r.Verified,
                check = r.Check,
                error = r.Error,
            }),
        }, Indented);

    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The report as a markdown table under the command and the machine.</summary>
    internal static string Markdown(BenchReport report, string command)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Command: `{command}` — {DateTime.UtcNow:yyyy-MM-dd}, {Machine}, {report.Elapsed.TotalSeconds:F0} s.");
        text.AppendLine();
        text.AppendLine($"| {string.Join(" | ", Header)} |");
        text.AppendLine("| --- | --- | --- | ---: | ---: | ---: | ---: | --- |");
        foreach (BenchResult r in report.Results)
            text.AppendLine($"| {string.Join(" | ", Cells(r).Select(c => c.Replace("|", "\\|", StringComparison.Ordinal)))} |");
        foreach ((string target, string why) in report.NotRun)
            text.AppendLine(CultureInfo.InvariantCulture, $"\n{target}: {why}");
        text.AppendLine().AppendLine(ColdStart(report));
        return text.ToString();
    }
}
