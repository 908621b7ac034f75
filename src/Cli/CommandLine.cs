using System.CommandLine;
using Spectre.Console;

namespace Targets.Cli;

/// <summary>
/// The <c>targets</c> command (System.CommandLine): <c>bench</c>, <c>inspect</c>, <c>devices</c>,
/// <c>cache</c>, each with <c>--help</c> and tab completion. Exit codes: 0 success, 1 the work
/// failed (a wrong result, a compilation error), 2 the command line was wrong (the error and the
/// command's usage on stderr).
/// </summary>
internal static class CommandLine
{
    internal static int Run(string[] args, TextWriter output, TextWriter error)
    {
        RootCommand root = Build(output, error);
        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (System.CommandLine.Parsing.ParseError e in parse.Errors)
                error.WriteLine($"targets: {e.Message}");
            error.WriteLine();
            // The usage of the command the line got as far as.
            var path = new List<string>();
            for (System.CommandLine.Parsing.CommandResult? c = parse.CommandResult; c is not null && c.Command != root; c = c.Parent as System.CommandLine.Parsing.CommandResult)
                path.Insert(0, c.Command.Name);
            root.Parse([.. path, "--help"]).Invoke(new InvocationConfiguration { Output = error, Error = error });
            return 2;
        }
        return parse.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }

    static RootCommand Build(TextWriter output, TextWriter error)
    {
        var root = new RootCommand("Targets: C# methods and classes compiled for cpu, parallel (every core) and cuda (NVIDIA PTX).");
        root.Subcommands.Add(Bench(output, error));
        root.Subcommands.Add(Inspect(output, error));
        root.Subcommands.Add(Devices(output));
        root.Subcommands.Add(Cache(output));
        var firstCall = new Command("first-call", "Compile and call binary-trees once, printing how long it took (bench runs it in fresh processes)") { Hidden = true };
        firstCall.SetAction(_ => FirstCall.Measure(output));
        root.Subcommands.Add(firstCall);
        root.SetAction(_ =>
        {
            root.Parse(["--help"]).Invoke(new InvocationConfiguration { Output = output, Error = error });
            return 0;
        });
        return root;
    }

    static Command Bench(TextWriter output, TextWriter error)
    {
        var targets = new Option<string[]>("--targets") { Description = $"Targets to run besides .NET, comma- or space-separated: {string.Join(", ", BenchTarget.Names)} (default: all available)", AllowMultipleArgumentsPerToken = true, HelpName = "names" };
        OnlyFrom(targets, BenchTarget.Names);
        string[] ids = BenchWorkload.All(BenchSettings.Quick).Select(w => w.Id).ToArray();
        var workloads = new Option<string[]>("--workloads") { Description = $"Workloads to run (default: all): {string.Join(", ", ids)}", AllowMultipleArgumentsPerToken = true, HelpName = "ids" };
        OnlyFrom(workloads, ids);
        var size = new Option<string>("--size") { HelpName = "small|default|large", Description = "How big the work is: small (seconds), default (under 2 minutes on 2 cores), large", DefaultValueFactory = _ => "default" };
        size.AcceptOnlyFromAmong(BenchSettings.SizeNames);
        var runs = new Option<int?>("--runs") { Description = "Timed runs per cell after one warm-up (default: 3 for small, 9 otherwise)" };
        runs.Validators.Add(r => { if (r.GetValueOrDefault<int?>() is < 1) r.AddError("--runs must be at least 1"); });
        var json = new Option<FileInfo?>("--json") { HelpName = "file", Description = "Also write the rows as JSON to this file (each with \"verified\")" };
        var markdown = new Option<FileInfo?>("--markdown") { HelpName = "file", Description = "Also write a markdown table (with the command and the machine) to this file" };
        var chart = new Option<FileInfo?>("--chart") { HelpName = "file.png|file.svg", Description = "Also draw the speed-ups as grouped bars on a log axis, to a .png or .svg file" };
        chart.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<FileInfo?>() is { } f && Path.GetExtension(f.Name).ToLowerInvariant() is not (".png" or ".svg"))
                r.AddError($"--chart takes a .png or .svg file, not '{f.Name}'");
        });
        foreach (Option<FileInfo?> file in new[] { json, markdown, chart })
        {
            file.Validators.Add(r =>
            {
                if (r.GetValueOrDefault<FileInfo?>() is { } f && f.Directory is { Exists: false } folder)
                    r.AddError($"{file.Name}: the folder {folder.FullName} does not exist");
            });
        }
        var noColor = new Option<bool>("--no-color") { Description = "Plain text, no colours or live progress (also when NO_COLOR is set or output is redirected)" };
        var command = new Command("bench", "Run the benchmark workloads on plain .NET and every available target; every result is checked against .NET before it is timed")
        {
            targets, workloads, size, runs, json, markdown, chart, noColor,
        };
        command.SetAction(parse =>
        {
            BenchSettings settings = BenchSettings.ForSize(parse.GetValue(size)!);
            if (parse.GetValue(runs) is int n)
                settings = settings with { Runs = n };
            var request = new BenchRequest(settings, Split(parse.GetValue(targets)), Split(parse.GetValue(workloads)));
            bool interactive = output == Console.Out && !Console.IsOutputRedirected && !parse.GetValue(noColor)
                && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
            output.WriteLine("targets found:");
            DevicesCommand.Run(output);
            output.WriteLine();
            BenchReport report = interactive ? WithProgress(request) : BenchCommand.Run(request, (what, done, total) =>
            {
                if (done < total)
                    error.WriteLine($"[{done + 1}/{total}] {what}");
            });
            BenchOutput.Table(report, output, color: interactive);
            string line = "targets " + string.Join(' ', parse.Tokens.Select(t => t.Value));
            if (parse.GetValue(json) is { } jsonFile)
                File.WriteAllText(jsonFile.FullName, BenchOutput.Json(report, line));
            if (parse.GetValue(markdown) is { } markdownFile)
                File.WriteAllText(markdownFile.FullName, BenchOutput.Markdown(report, line));
            if (parse.GetValue(chart) is { } chartFile)
                BenchChart.Write(report, chartFile.FullName);
            return report.Failed ? 1 : 0;
        });
        return command;
    }

    /// <summary>Each comma- or space-separated value must be one of <paramref name="allowed"/>.</summary>
    static void OnlyFrom(Option<string[]> option, string[] allowed) =>
        option.Validators.Add(r =>
        {
            foreach (string value in Split(r.GetValueOrDefault<string[]>()) ?? [])
            {
                if (!allowed.Contains(value))
                    r.AddError($"{option.Name}: '{value}' is not one of {string.Join(", ", allowed)}");
            }
        });

    static List<string>? Split(string[]? values) =>
        values is null || values.Length == 0 ? null : values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();

    /// <summary>The run under Spectre's live progress bar (an interactive terminal only).</summary>
    static BenchReport WithProgress(BenchRequest request)
    {
        BenchReport? report = null;
        AnsiConsole.Progress().AutoClear(true).Start(context =>
        {
            ProgressTask task = context.AddTask("bench");
            report = BenchCommand.Run(request, (what, done, total) =>
            {
                task.MaxValue = total;
                task.Value = done;
                task.Description = Markup.Escape(what);
            });
        });
        return report!;
    }

    static Command Inspect(TextWriter output, TextWriter error)
    {
        var assembly = new Argument<FileInfo>("assembly") { Description = "The .dll holding the method" };
        var method = new Argument<string>("method") { Description = "Namespace.Type.Method: a static method (on cuda, a void one is compiled as a kernel)" };
        var target = new Option<string>("--target") { Description = "cpu, parallel or cuda", DefaultValueFactory = _ => "cpu" };
        target.AcceptOnlyFromAmong(BenchTarget.Names);
        var stage = new Option<string>("--stage") { Description = "ir, llvm, opt (optimised LLVM), asm (cpu, parallel), ptx, sass (cuda; needs ptxas), timings", DefaultValueFactory = _ => "ir" };
        stage.AcceptOnlyFromAmong(InspectCommand.Stages);
        var command = new Command("inspect", "Compile one method for a target and print a stage of it (PTX and SASS need no GPU)") { assembly, method, target, stage };
        command.SetAction(parse => InspectCommand.Run(parse.GetValue(assembly)!.FullName, parse.GetValue(method)!, parse.GetValue(target)!, parse.GetValue(stage)!, output, error));
        return command;
    }

    static Command Devices(TextWriter output)
    {
        var command = new Command("devices", "List the targets this machine offers (and why any is missing), and the CUDA tools found");
        command.SetAction(_ =>
        {
            DevicesCommand.Run(output);
            return 0;
        });
        return command;
    }

    static Command Cache(TextWriter output)
    {
        var info = new Command("info", "Where compiled code is cached, how much and how many entries");
        info.SetAction(_ =>
        {
            output.WriteLine(CacheCommand.Info());
            return 0;
        });
        var clear = new Command("clear", "Empty the cache");
        clear.SetAction(_ =>
        {
            output.WriteLine(CacheCommand.Clear());
            return 0;
        });
        return new Command("cache", "The compile cache") { info, clear };
    }
}
