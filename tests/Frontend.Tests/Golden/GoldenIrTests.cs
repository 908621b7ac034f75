using System.Reflection;
using System.Runtime.CompilerServices;
using Targets.Frontend.Il;
using Targets.Frontend.Ir;
using Targets.Frontend.Passes;

namespace Targets.Frontend.Tests.Golden;

/// <summary>
/// Golden IR files, in the style of Cranelift's filetests: each file in <c>Golden/</c> names one
/// pass of some target's pipeline (<see cref="PassRegistry"/>), the pruning strategies enabled
/// (all when absent), input IR, and either the IR the pass must make of it or, after
/// <c>; error:</c>, text the refusal must contain. The test parses the input with
/// <see cref="IrParser"/> (no C# behind it), runs the pass, and compares printed text; every input
/// and output also round-trips print → parse → print, metadata included.
/// Two kinds of file: generated ones (<c>; pass:</c>), whose input is what the passes before this
/// one in its pipeline make of a C# sample (<see cref="GoldenSamples"/>), rewritten with
/// <c>UPDATE_GOLDEN=1</c> (then read the diff: it is the review); and hand-written ones
/// (<c>; test:</c>), for cases no sample makes, which nothing rewrites.
/// </summary>
public sealed class GoldenIrTests
{
    sealed class SampleTypes : TypeContext
    {
        public override bool IsJitClass(Type type) => type == typeof(Cell) || type == typeof(Point) || typeof(Figure).IsAssignableFrom(type);

        public override Type? ObjectFieldType(FieldInfo field) => null;
    }

    static readonly SampleTypes Types = new();

    static Type? ResolveClass(string name) => name switch
    {
        nameof(Cell) => typeof(Cell),
        nameof(Point) => typeof(Point),
        nameof(Figure) => typeof(Figure),
        nameof(SquareFigure) => typeof(SquareFigure),
        nameof(LineFigure) => typeof(LineFigure),
        _ => null,
    };

    /// <summary>The generated files: (file, sample method, target whose pipeline runs, pass, pruning strategies).</summary>
    static readonly (string File, string Method, string Target, string Pass, RefcountPruning Pruning)[] Generated =
    [
        ("count-prange-loops.ir", nameof(GoldenSamples.PrangeSum), "cpu", "count-prange-loops", RefcountPruning.All),
        ("version-loops.ir", nameof(GoldenSamples.Sum), "cpu", "version-loops-for-bounds-checks", RefcountPruning.All),
        ("inline-straight-calls.ir", nameof(GoldenSamples.CallsTwice), "cpu", "inline-straight-calls", RefcountPruning.All),
        ("devirtualise-exact-receivers.ir", nameof(GoldenSamples.FreshArea), "cpu", "devirtualise-exact-receivers", RefcountPruning.All),
        ("inline-struct-members.ir", nameof(GoldenSamples.StructSum), "cpu", "inline-straight-calls", RefcountPruning.All),
        ("version-struct-loops.ir", nameof(GoldenSamples.StructSum), "cpu", "version-loops-for-bounds-checks", RefcountPruning.All),
        ("insert-refcounts.ir", nameof(GoldenSamples.Replace), "cpu", "insert-refcounts", RefcountPruning.All),
        ("prune-replaced-values.ir", nameof(GoldenSamples.Replace), "cpu", "prune-refcounts", RefcountPruning.ReplacedValues),
        ("prune-new-references.ir", nameof(GoldenSamples.Replace), "cpu", "prune-refcounts", RefcountPruning.NewReferences),
        ("prune-pairs.ir", nameof(GoldenSamples.Fresh), "cpu", "prune-refcounts", RefcountPruning.Pairs),
        ("prune-borrowed-parameters.ir", nameof(GoldenSamples.First), "cpu", "prune-refcounts", RefcountPruning.BorrowedParameters),
        ("prune-borrowed-cursors.ir", nameof(GoldenSamples.Walk), "cpu", "prune-refcounts", RefcountPruning.BorrowedCursors),
        ("outline-parallel-loops.ir", nameof(GoldenSamples.PrangeSum), "parallel", "outline-parallel-loops", RefcountPruning.All),
        ("check-immutability.ir", nameof(GoldenSamples.Dots), "cuda", "check-immutability", RefcountPruning.All),
        ("check-device-code.ir", nameof(GoldenSamples.Dots), "cuda", "check-device-code", RefcountPruning.All),
        ("drop-bounds-checks.ir", nameof(GoldenSamples.Sum), "cuda", "drop-bounds-checks", RefcountPruning.All),
    ];

    static string GoldenDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    static string[] FilesPresent() =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Golden"), "*.ir").Select(p => Path.GetFileName(p)!).Order().ToArray();

    static string Read(string file) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", file)).Replace("\r\n", "\n", StringComparison.Ordinal);

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (string file in FilesPresent())
            data.Add(file);
        return data;
    }

    /// <summary>Runs <paramref name="pass"/> (only) over every function of <paramref name="module"/>.</summary>
    static string Run(IrModule module, string pass, RefcountPruning pruning)
    {
        new Pipeline([PassRegistry.Named(pass)]).Run(module, new CompileOptions { RefcountPruning = pruning });
        return IrPrinter.Print(module);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Pass_turns_the_input_into_the_expected_ir(string file)
    {
        string text = Read(file);
        string pass = Header(text, "pass") ?? Header(text, "test") ?? throw new InvalidDataException($"{file} names no pass ('; pass:' or '; test:')");
        var pruning = Enum.Parse<RefcountPruning>(Header(text, "pruning") ?? nameof(RefcountPruning.All));
        (string input, string? expected, string? error) = Sections(text);
        IrModule module = IrParser.Parse(input, Types, ResolveClass);
        Assert.Equal(input, IrPrinter.Print(module)); // round trip
        if (error is not null)
        {
            var refused = Assert.Throws<CompilationException>(() => Run(module, pass, pruning));
            Assert.Contains(error, refused.Message, StringComparison.Ordinal);
            return;
        }
        Assert.Equal(expected, Run(module, pass, pruning));
        Assert.Equal(expected, IrPrinter.Print(IrParser.Parse(expected!, Types, ResolveClass))); // the output round-trips too
    }

    [Fact]
    public void Every_pass_of_every_pipeline_has_a_golden_file_and_some_are_hand_written()
    {
        string[] files = FilesPresent();
        var named = files.Select(f => Header(Read(f), "pass") ?? Header(Read(f), "test")).ToHashSet();
        foreach ((string target, Pipeline pipeline) in PassRegistry.Pipelines)
        {
            foreach (Pass pass in pipeline.Passes)
                Assert.True(named.Contains(pass.Name), $"{target}'s pass {pass.Name} has no golden file");
        }
        Assert.Contains(files, f => Header(Read(f), "test") is not null);
    }

    [Fact]
    public void Every_generated_file_has_a_case_and_every_case_a_file()
    {
        string[] generated = FilesPresent().Where(f => Header(Read(f), "pass") is not null).ToArray();
        Assert.Equal(Generated.Select(c => c.File).Order(), generated);
    }

    [Fact]
    public void Malformed_ir_is_a_format_exception_naming_the_line()
    {
        var e = Assert.Throws<FormatException>(() => IrParser.Parse("function F() -> i32\n  slots:\nblock0():\n  v0: i32 = frobnicate    ; IL_0000\n", Types, ResolveClass));
        Assert.Contains("line 4", e.Message);
        Assert.Contains("frobnicate", e.Message);
        var truncated = Assert.Throws<FormatException>(() => IrParser.Parse("function F() -> void\n  slots: s0:i32\nblock0():\n  store_slot s0    ; IL_0000\n", Types, ResolveClass));
        Assert.Contains("line 4", truncated.Message);
        var badType = Assert.Throws<FormatException>(() => IrParser.Parse("function F(q99) -> void\n", Types, ResolveClass));
        Assert.Contains("line 1", badType.Message);
        var badMetadata = Assert.Throws<FormatException>(() => IrParser.Parse("function F() -> void\n  prange: s0 to s1\n", Types, ResolveClass));
        Assert.Contains("line 2", badMetadata.Message);
    }

    /// <summary>Rewrites the generated files from the C# samples when UPDATE_GOLDEN=1; otherwise checks none is stale.</summary>
    [Fact]
    public void Generated_files_match_what_the_samples_import_to()
    {
        foreach (var c in Generated)
        {
            MethodInfo method = typeof(GoldenSamples).GetMethod(c.Method)!;
            Pipeline pipeline = PassRegistry.Pipelines[c.Target];
            int index = pipeline.Passes.ToList().FindIndex(p => p.Name == c.Pass);
            Assert.True(index >= 0, $"{c.Target}'s pipeline has no pass {c.Pass}");
            // The input is what the passes before this one make of the sample.
            IrModule module = FrontendCompiler.Compile(method, CompileOptions.Default, Types, new Pipeline(pipeline.Passes.Take(index)));
            string input = IrPrinter.Print(module);
            string expected = Run(module, c.Pass, c.Pruning);
            string text = $"; pass: {c.Pass}\n; pruning: {c.Pruning}\n; sample: GoldenSamples.{c.Method} on {c.Target}\n; ---- input\n{input}; ---- expected\n{expected}";
            if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
            {
                File.WriteAllText(Path.Combine(GoldenDirectory(), c.File), text);
                continue;
            }
            Assert.Equal(text, Read(c.File));
        }
    }

    static string? Header(string text, string key) =>
        text.Split('\n').FirstOrDefault(l => l.StartsWith($"; {key}: ", StringComparison.Ordinal))?[$"; {key}: ".Length..];

    /// <summary>The input, and the expected output or (after <c>; error:</c>) the text of the expected refusal.</summary>
    static (string Input, string? Expected, string? Error) Sections(string text)
    {
        const string Input = "; ---- input\n", Expected = "; ---- expected\n", Error = "; ---- error: ";
        int input = text.IndexOf(Input, StringComparison.Ordinal) + Input.Length;
        int expected = text.IndexOf(Expected, StringComparison.Ordinal);
        if (expected >= 0)
            return (text[input..expected], text[(expected + Expected.Length)..], null);
        int error = text.IndexOf(Error, StringComparison.Ordinal);
        if (error < 0)
            throw new InvalidDataException("a golden file has '; ---- expected' or '; ---- error: text'");
        return (text[input..error], null, text[(error + Error.Length)..].TrimEnd('\n'));
    }
}
