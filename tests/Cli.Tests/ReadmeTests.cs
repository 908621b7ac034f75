using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Targets.Cli.Tests;

/// <summary>The README's tour is C# that compiles and runs as written (on the simulator where there is no GPU).</summary>
public sealed class ReadmeTests
{
    static string Readme()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string path = Path.Combine(dir.FullName, "README.md");
            if (File.Exists(path) && File.Exists(Path.Combine(dir.FullName, "Targets.sln")))
                return File.ReadAllText(path);
        }
        throw new InvalidOperationException("README.md not found");
    }

    [Fact]
    public void The_tour_compiles_and_runs()
    {
        string readme = Readme();
        int start = readme.IndexOf("## A tour", StringComparison.Ordinal);
        int open = readme.IndexOf("```csharp\n", start, StringComparison.Ordinal) + "```csharp\n".Length;
        string tour = readme[open..readme.IndexOf("```", open, StringComparison.Ordinal)];
        Assert.True(tour.Split('\n').Length <= 45, "the tour is meant to be about 40 lines");
        string[] assemblies = [.. ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator),
            .. new[] { typeof(Cpu.CpuTarget), typeof(Parallel.ParallelTarget), typeof(Cuda.CudaTarget), typeof(ITarget), typeof(JitObject), typeof(Nrt) }
                .Select(t => t.Assembly.Location)];
        var compilation = CSharpCompilation.Create("Tour", [CSharpSyntaxTree.ParseText(tour)],
            assemblies.Distinct().Select(p => MetadataReference.CreateFromFile(p)),
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, allowUnsafe: true));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        Assembly assembly = AssemblyLoadContext.Default.LoadFromStream(new MemoryStream(image.ToArray()));
        NrtStats before = Nrt.GetAllocationStats();
        assembly.EntryPoint!.Invoke(null, [Array.Empty<string>()]);
        Assert.True(Nrt.GetAllocationStats().Since(before).IsBalanced, "the tour frees what it allocates (the box is disposed)");
    }
}
