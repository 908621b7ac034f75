using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.Text;

namespace Targets.Testing;

/// <summary>How Roslyn compiles a corpus: the two shapes of IL a C# user's build produces.</summary>
public enum CorpusConfig
{
    Debug,
    Release,
}

/// <summary>
/// Compiles embedded corpus sources with Roslyn into an assembly with a portable PDB beside it, and
/// loads it into its own <see cref="AssemblyLoadContext"/>. The assembly is loaded from its path
/// (not from a stream) so that <see cref="Assembly.Location"/> is set and the PDB sits next to it,
/// where a reader of sequence points looks for it.
/// </summary>
public static class CorpusBuild
{
    /// <summary>The embedded file of unsupported constructs; every other file under Corpus/ is the differential corpus.</summary>
    public const string UnsupportedResource = "Corpus/Unsupported.cs";

    static readonly Lazy<Assembly> DebugCorpus = new(() => Build("Corpus", CorpusConfig.Debug, DifferentialSources()));
    static readonly Lazy<Assembly> ReleaseCorpus = new(() => Build("Corpus", CorpusConfig.Release, DifferentialSources()));
    static readonly Lazy<Assembly> DebugUnsupported = new(() => Build("Unsupported", CorpusConfig.Debug, [UnsupportedResource]));
    static readonly Lazy<Assembly> ReleaseUnsupported = new(() => Build("Unsupported", CorpusConfig.Release, [UnsupportedResource]));

    /// <summary>The differential corpus compiled in <paramref name="config"/> (built once per test run).</summary>
    public static Assembly Corpus(CorpusConfig config) =>
        config == CorpusConfig.Debug ? DebugCorpus.Value : ReleaseCorpus.Value;

    /// <summary>The unsupported-constructs file compiled in <paramref name="config"/> (built once per test run).</summary>
    public static Assembly Unsupported(CorpusConfig config) =>
        config == CorpusConfig.Debug ? DebugUnsupported.Value : ReleaseUnsupported.Value;

    /// <summary>The text of an embedded corpus source.</summary>
    public static string Source(string resource)
    {
        using Stream stream = typeof(CorpusBuild).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"embedded corpus source '{resource}' not found");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    static string[] DifferentialSources() =>
        typeof(CorpusBuild).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("Corpus/", StringComparison.Ordinal) && n.EndsWith(".cs", StringComparison.Ordinal)
                        && n != UnsupportedResource)
            .Order(StringComparer.Ordinal)
            .ToArray();

    static Assembly Build(string name, CorpusConfig config, string[] resources)
    {
        string assemblyName = $"{name}.{config}";
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = resources.Select(r => CSharpSyntaxTree.ParseText(
            SourceText.From(Source(r), Encoding.UTF8), parseOptions, path: r)).ToArray();
        var options = new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            optimizationLevel: config == CorpusConfig.Debug ? OptimizationLevel.Debug : OptimizationLevel.Release,
            allowUnsafe: true,
            nullableContextOptions: NullableContextOptions.Enable,
            deterministic: true);
        var compilation = CSharpCompilation.Create(assemblyName, trees, References.Value, options);

        string dir = Path.Combine(AppContext.BaseDirectory, "corpus-build", $"{Environment.ProcessId}", config.ToString());
        Directory.CreateDirectory(dir);
        string dllPath = Path.Combine(dir, assemblyName + ".dll");
        string pdbPath = Path.Combine(dir, assemblyName + ".pdb");
        EmitResult result;
        using (var dll = File.Create(dllPath))
        using (var pdb = File.Create(pdbPath))
        {
            result = compilation.Emit(dll, pdb, options: new EmitOptions(
                debugInformationFormat: DebugInformationFormat.PortablePdb, pdbFilePath: pdbPath));
        }
        if (!result.Success)
        {
            string errors = string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
            throw new InvalidOperationException($"the corpus {assemblyName} does not compile:\n{errors}");
        }
        var context = new AssemblyLoadContext($"{assemblyName}-{Guid.NewGuid():N}", isCollectible: false);
        return context.LoadFromAssemblyPath(dllPath);
    }

    static readonly Lazy<MetadataReference[]> References = new(() =>
        ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p =>
            {
                string file = Path.GetFileName(p);
                return file.StartsWith("System.", StringComparison.Ordinal) || file is "netstandard.dll" or "mscorlib.dll";
            })
            .Append(typeof(Atomic).Assembly.Location) // Targets' own API: Atomic, Prange, indices
            .Append(typeof(JitClassAttribute).Assembly.Location) // [JitClass]
            .Append(typeof(ListNode).Assembly.Location) // the shared jit classes (ListNode)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToArray());
}
