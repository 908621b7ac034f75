using System.Globalization;
using System.Text.Json;
using Targets.Fuzz;

// targets-fuzz [--seed S] [--count N] [--targets cpu,parallel,cuda-simulator] [--device] [--out DIR] [--no-reduce] [--batch B] [--summary-json] | --print S
// Used by the batch parent for its children: --announce (a line per program before and after it), --replay FILE (one program, as FuzzRun.DiesAlone writes it).
// Exit code 0: every program agreed with .NET on every target; 1: something did not (see the summary and --out).
var options = new Dictionary<string, string?>();
for (int a = 0; a < args.Length; a++)
{
    string name = args[a];
    bool flag = name is "--no-reduce" or "--summary-json" or "--help" or "--device" or "--announce";
    bool known = flag || name is "--seed" or "--count" or "--targets" or "--out" or "--batch" or "--print" or "--replay";
    if (!known || (!flag && a + 1 >= args.Length))
    {
        Console.Error.WriteLine($"targets-fuzz: unexpected '{name}'; usage: targets-fuzz [--seed S] [--count N] [--targets cpu,parallel,cuda-simulator] [--device] [--out DIR] [--no-reduce] [--batch B] [--summary-json]");
        return 2;
    }
    options[name] = flag ? null : args[++a];
}
if (options.ContainsKey("--help"))
{
    Console.WriteLine("targets-fuzz: random C# programs run by .NET and by each host target, compared; failures reduced and written to --out.");
    Console.WriteLine("  --seed S (default 1)  --count N (default 100)  --targets cpu,parallel  --out DIR (default fuzz-failures)");
    Console.WriteLine("  --device: programs in the cuda target's subset (no allocation, no jit classes), for --targets cuda-simulator");
    Console.WriteLine("  --no-reduce  --batch B (programs per child process; default 1000; 0 runs in this process)  --summary-json");
    Console.WriteLine("  --print S: print the program of seed S and exit");
    return 0;
}
// Whole numbers only: a bad one is a usage error (exit 2), never a stack trace.
int? Number(string name, int fallback)
{
    if (!options.TryGetValue(name, out string? text))
        return fallback;
    if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= 0)
        return value;
    Console.Error.WriteLine($"targets-fuzz: {name} expects a whole number of 0 or more, got '{text}'");
    return null;
}
if (options.ContainsKey("--print"))
{
    if (Number("--print", 0) is not int printed)
        return 2;
    Console.Write(Generator.Generate(printed, options.ContainsKey("--device")).Render());
    return 0;
}
if (Number("--seed", 1) is not int seed || Number("--count", 100) is not int count || Number("--batch", 1000) is not int batch)
    return 2;
string[] targets = (options.GetValueOrDefault("--targets") ?? "cpu,parallel").Split(',', StringSplitOptions.RemoveEmptyEntries);
if (targets.FirstOrDefault(t => !Oracle.Targets.ContainsKey(t)) is { } unknown)
{
    Console.Error.WriteLine($"targets-fuzz: unknown target '{unknown}'; expected {string.Join(", ", Oracle.Targets.Keys)}");
    return 2;
}
string outDirectory = options.GetValueOrDefault("--out") ?? "fuzz-failures";
bool reduce = !options.ContainsKey("--no-reduce");
bool device = options.ContainsKey("--device");
Summary summary;
if (options.GetValueOrDefault("--replay") is { } replayed)
{
    Replay replay;
    try
    {
        replay = Replay.Read(replayed);
    }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
    {
        Console.Error.WriteLine($"targets-fuzz: --replay expects a program written by a batch run's reduction ({e.Message})");
        return 2;
    }
    Verdict verdict = Oracle.Check(replay.Source, replay.Seed, replay.Inputs, targets);
    summary = new Summary { Programs = 1, Runs = verdict.Runs, Mismatches = verdict.Mismatches.Count, Crashes = verdict.Crashes.Count, GeneratorErrors = verdict.GeneratorError is null ? 0 : 1 };
}
else
{
    summary = batch > 0 && count > batch
        ? FuzzRun.RunInBatches(seed, count, batch, targets, outDirectory, reduce, Console.Error, device)
        : FuzzRun.Run(seed, count, targets, outDirectory, reduce, Console.Error, device, options.ContainsKey("--announce") ? Console.Out : null);
}
if (options.ContainsKey("--summary-json"))
    Console.WriteLine(JsonSerializer.Serialize(summary));
else
    Console.Write(summary.Describe());
return summary.Clean ? 0 : 1;
