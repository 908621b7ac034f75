using System.Diagnostics;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Targets.Testing;

/// <summary>
/// Runs a public static <c>int Run()</c> method of this test assembly in a child .NET process, so a
/// check that can crash the process (native code, LLVM aborting) fails one test instead of ending the
/// whole run. The child is a two-line program compiled with Roslyn into this assembly's folder and
/// started with this assembly's runtimeconfig and deps files.
/// </summary>
public static class ChildProcess
{
    public sealed record Result(int ExitCode, string Output);

    public static Result Run(Type type, string method, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        string dir = AppContext.BaseDirectory;
        string name = $"probe-{type.Name}-{method}-{Environment.ProcessId}-{Guid.NewGuid():N}";
        string dll = Path.Combine(dir, name + ".dll");
        string source = $"public static class Program {{ public static int Main() => {type.FullName}.{method}(); }}";
        var compilation = CSharpCompilation.Create(name,
            [CSharpSyntaxTree.ParseText(source)],
            [.. ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "").Split(Path.PathSeparator)
                .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal))
                .Select(p => MetadataReference.CreateFromFile(p)),
             MetadataReference.CreateFromFile(type.Assembly.Location)],
            new CSharpCompilationOptions(OutputKind.ConsoleApplication));
        var emit = compilation.Emit(dll);
        if (!emit.Success)
            throw new InvalidOperationException("probe does not compile: " + string.Join("\n", emit.Diagnostics));

        try
        {
            return Start(dir, dll, Path.GetFileNameWithoutExtension(type.Assembly.Location), timeout, environment);
        }
        finally
        {
            File.Delete(dll);
        }
    }

    static Result Start(string dir, string dll, string assembly, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = dir,
        };
        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        foreach (string arg in new[] { "exec", "--runtimeconfig", Path.Combine(dir, assembly + ".runtimeconfig.json"),
                     "--depsfile", Path.Combine(dir, assembly + ".deps.json"), dll })
            start.ArgumentList.Add(arg);
        return Run(start, timeout);
    }

    /// <summary>
    /// Runs <paramref name="start"/> (its output is redirected here) to its end or for
    /// <paramref name="timeout"/> at most, then kills its whole process tree; stdout and stderr together.
    /// </summary>
    public static Result Run(ProcessStartInfo start, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(start);
        start.RedirectStandardOutput = start.RedirectStandardError = true;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        var output = new StringBuilder();
        var lockObject = new object();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (lockObject) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (lockObject) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return new Result(-1, $"timed out after {timeout.TotalSeconds} s\n{output}");
        }
        process.WaitForExit();
        lock (lockObject)
            return new Result(process.ExitCode, output.ToString());
    }

    static string DotnetHost()
    {
        string? current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet")
            return current;
        string? root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        return root is not null && File.Exists(Path.Combine(root, "dotnet")) ? Path.Combine(root, "dotnet") : "dotnet";
    }
}
