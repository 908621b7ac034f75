using System.Diagnostics;
using System.Text;

namespace Targets.Cli.Tests;

/// <summary>Runs the real <c>targets</c> executable (the build's <c>targets.dll</c>) in a child process, with a time limit.</summary>
internal static class TargetsExecutable
{
    public sealed record Result(int Code, string Out, string Err);

    static readonly Lazy<string> Dll = new(() =>
    {
        // The test's own bin folder has targets.dll (a project reference) and its runtimeconfig.
        string here = Path.Combine(AppContext.BaseDirectory, "targets.dll");
        if (File.Exists(here) && File.Exists(Path.Combine(AppContext.BaseDirectory, "targets.runtimeconfig.json")))
            return here;
        throw new InvalidOperationException($"targets.dll and its runtimeconfig were not found in {AppContext.BaseDirectory}");
    });

    public static Result Run(params string[] args) => Run(TimeSpan.FromMinutes(3), args);

    public static Result Run(TimeSpan timeout, params string[] args) => Run(timeout, new Dictionary<string, string>(), args);

    /// <summary>Runs with <paramref name="environment"/> added to this process's environment.</summary>
    public static Result Run(TimeSpan timeout, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach ((string name, string value) in environment)
            start.Environment[name] = value;
        start.ArgumentList.Add(Dll.Value);
        foreach (string arg in args)
            start.ArgumentList.Add(arg);
        using Process process = Process.Start(start)!;
        var output = new StringBuilder();
        var error = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (error) error.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"targets {string.Join(' ', args)} ran past {timeout}");
        }
        process.WaitForExit();
        lock (output)
            lock (error)
                return new Result(process.ExitCode, output.ToString(), error.ToString());
    }
}
