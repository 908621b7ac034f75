using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;

namespace Targets.Cpu.Tests;

/// <summary>
/// C# outside the subset is a <see cref="CompilationException"/> naming the method and the C# line
/// of the offending statement (from the portable PDB), in Debug and Release builds alike. The expected
/// line is the one marked "&lt;- unsupported: KEY" in Corpus/Unsupported.cs.
/// </summary>
public sealed class UnsupportedTests
{
    static readonly CpuTarget Cpu = new();

    const CompilationErrorKind Construct = CompilationErrorKind.UnsupportedConstruct;
    const CompilationErrorKind TypeKind = CompilationErrorKind.UnsupportedType;
    const CompilationErrorKind Call = CompilationErrorKind.UnsupportedCall;

    // Where the contract's own documentation (CompilationErrorKind) names a construct under two kinds,
    // both are accepted: "virtual calls" are listed under UnsupportedConstruct and "virtual" under
    // UnsupportedCall; LINQ is a call to a library method over an interface type.
    static readonly Dictionary<string, (string Type, string Method, CompilationErrorKind[] Kinds)> Cases = new()
    {
        ["string"] = ("Unsupported", "StringOps", [Construct]),
        ["boxing"] = ("Unsupported", "Boxing", [Construct]),
        ["virtual-call"] = ("Unsupported", "VirtualCall", [Construct, Call]),
        ["interface-call"] = ("Unsupported", "InterfaceCall", [Construct, Call]),
        ["lambda-capture"] = ("Unsupported", "DelegateLambda", [Construct, TypeKind]),
        ["delegate-two-functions"] = ("Unsupported", "DelegateTwoFunctions", [Construct]),
        ["linq"] = ("Unsupported", "Linq", [Call, TypeKind]),
        ["catch-other-type"] = ("Unsupported", "CatchOfAnotherType", [Construct]),
        ["exception-member"] = ("Unsupported", "ExceptionMember", [Construct, Call]),
        ["static-field-load"] = ("Unsupported", "StaticFieldLoad", [Construct]),
        ["static-field-store"] = ("Unsupported", "StaticFieldStore", [Construct]),
        ["class-parameter"] = ("Unsupported", "ClassParameter", [TypeKind]),
        ["struct-with-string"] = ("Unsupported", "StructWithString", [TypeKind]),
        ["struct-boxing"] = ("Unsupported", "StructBoxing", [Construct]),
        ["struct-tostring"] = ("Unsupported", "StructToString", [Construct, Call]),
        ["misaligned-struct"] = ("Unsupported", "MisalignedStruct", [TypeKind]),
        ["library-member"] = ("Unsupported", "LibraryMemberOutsideTheSubset", [Call]),
        ["decimal"] = ("Unsupported", "Decimal", [TypeKind, Call]),
        ["new-object"] = ("Unsupported", "NewObject", [Construct, TypeKind]),
        ["array-covariance"] = ("Unsupported", "ArrayCovariance", [Construct]),
        ["instance-method"] = ("Counter", "Next", [Construct, TypeKind]),
    };

    public static TheoryData<CorpusConfig, string> Categories()
    {
        var data = new TheoryData<CorpusConfig, string>();
        foreach (CorpusConfig config in Enum.GetValues<CorpusConfig>())
            foreach (string key in Cases.Keys)
                data.Add(config, key);
        return data;
    }

    [Theory]
    [MemberData(nameof(Categories))]
    public void Unsupported_construct_is_a_compilation_exception_at_its_source_line(CorpusConfig config, string category)
    {
        var (typeName, methodName, kinds) = Cases[category];
        Assembly assembly = CorpusBuild.Unsupported(config);
        MethodInfo method = assembly.GetType($"Corpus.{typeName}", throwOnError: true)!
            .GetMethod(methodName, BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)!;

        var e = Assert.Throws<CompilationException>(() => Cpu.Compile(method));

        // Every property is checked and every problem reported at once, with the compiler's message.
        var problems = new List<string>();
        if (!kinds.Contains(e.Kind))
            problems.Add($"kind {e.Kind}, expected {string.Join(" or ", kinds)}");
        if (!e.MethodName.Contains(methodName, StringComparison.Ordinal))
            problems.Add($"MethodName '{e.MethodName}' does not name {typeName}.{methodName}");
        if (e.SourceFile is null || !e.SourceFile.EndsWith("Unsupported.cs", StringComparison.Ordinal))
            problems.Add($"SourceFile '{e.SourceFile}', expected …Unsupported.cs");
        if (e.SourceLine != MarkedLine(category))
            problems.Add($"SourceLine {e.SourceLine}, expected {MarkedLine(category)}");
        Assert.True(problems.Count == 0, $"{category} [{config}]: {string.Join("; ", problems)}\n  compiler said: {e.Message}");
    }

    [Theory]
    [InlineData(CorpusConfig.Debug, "Async", "an async method")]
    [InlineData(CorpusConfig.Release, "Async", "an async method")]
    [InlineData(CorpusConfig.Debug, "Iterator", "an iterator")]
    [InlineData(CorpusConfig.Release, "Iterator", "an iterator")]
    public void Async_and_iterator_methods_are_refused_at_a_line_inside_them(CorpusConfig config, string methodName, string construct)
    {
        MethodInfo method = CorpusBuild.Unsupported(config).GetType("Corpus.UnsupportedStateMachines", throwOnError: true)!.GetMethod(methodName)!;
        var e = Assert.Throws<CompilationException>(() => Cpu.Compile(method));
        Assert.Equal(CompilationErrorKind.UnsupportedConstruct, e.Kind);
        Assert.StartsWith(construct, e.Construct);
        Assert.EndsWith("Unsupported.cs", e.SourceFile);
        string[] lines = CorpusBuild.Source(CorpusBuild.UnsupportedResource).Split('\n');
        int declared = Array.FindIndex(lines, l => l.Contains($" {methodName}(int", StringComparison.Ordinal)) + 1;
        Assert.InRange(e.SourceLine, declared, declared + 4);
    }

    [Fact]
    public void Every_marker_in_the_unsupported_file_has_a_test_case()
    {
        string[] lines = CorpusBuild.Source(CorpusBuild.UnsupportedResource).Split('\n');
        var markers = lines.Select(l => l.IndexOf(Marker, StringComparison.Ordinal) is var i and >= 0 ? l[(i + Marker.Length)..].Trim() : null)
            .Where(k => k is not null).ToList();
        Assert.Equal(Cases.Keys.Order(StringComparer.Ordinal), markers.Order(StringComparer.Ordinal));
    }

    // Guards the test data itself: the marked line must be a line the PDB can name for that method,
    // otherwise no compiler could report it.
    [Theory]
    [InlineData(CorpusConfig.Debug)]
    [InlineData(CorpusConfig.Release)]
    public void Every_marked_line_has_a_sequence_point_in_its_method(CorpusConfig config)
    {
        Assembly assembly = CorpusBuild.Unsupported(config);
        using var pdbStream = File.OpenRead(Path.ChangeExtension(assembly.Location, ".pdb"));
        using var provider = MetadataReaderProvider.FromPortablePdbStream(pdbStream);
        MetadataReader pdb = provider.GetMetadataReader();
        var missing = new List<string>();
        foreach (var (category, (typeName, methodName, _)) in Cases)
        {
            MethodInfo method = assembly.GetType($"Corpus.{typeName}", throwOnError: true)!
                .GetMethod(methodName, BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)!;
            var handle = MetadataTokens.MethodDebugInformationHandle(method.MetadataToken);
            var lines = pdb.GetMethodDebugInformation(handle).GetSequencePoints()
                .Where(p => !p.IsHidden).Select(p => p.StartLine).ToHashSet();
            if (!lines.Contains(MarkedLine(category)))
                missing.Add($"{category} (line {MarkedLine(category)}; method has {string.Join(",", lines.Order())})");
        }
        Assert.True(missing.Count == 0, "marked lines without a sequence point: " + string.Join("; ", missing));
    }

    const string Marker = "// <- unsupported: ";

    static int MarkedLine(string category)
    {
        string[] lines = CorpusBuild.Source(CorpusBuild.UnsupportedResource).Split('\n');
        int index = Array.FindIndex(lines, l => l.TrimEnd().EndsWith(Marker + category, StringComparison.Ordinal));
        Assert.True(index >= 0, $"no line marked '{Marker}{category}' in {CorpusBuild.UnsupportedResource}");
        return index + 1;
    }
}
