using System.Reflection;
using System.Runtime.CompilerServices;
using Targets.Frontend;
using Targets.Frontend.Il;
using Targets.Frontend.Ir;
using Targets.Frontend.Passes;
using Targets.Runtime.Passes;
using Targets.Runtime.Tests.Golden;

namespace Targets.Runtime.Tests;

/// <summary>
/// Golden IR files, in the style of Cranelift's filetests: each file in <c>Golden/</c> holds a pass
/// name (and the pruning strategies enabled), input IR, and the IR that pass must make of it. The
/// test parses the input with <see cref="IrParser"/> (no C# behind it), runs the pass, and compares
/// printed text; every input also round-trips print → parse → print. Set <c>UPDATE_GOLDEN=1</c>
/// to regenerate the files from <see cref="GoldenSamples"/> (then read the diff: it is the review).
/// </summary>
public sealed class GoldenIrTests
{
    sealed class SampleTypes : TypeContext
    {
        public override bool IsJitClass(Type type) => type == typeof(Cell);

        public override Type? ObjectFieldType(FieldInfo field) => null;
    }

    static readonly SampleTypes Types = new();

    static Type? ResolveClass(string name) => name == nameof(Cell) ? typeof(Cell) : null;

    /// <summary>(file, sample method, pass, pruning strategies): one file per pass and per pruning strategy.</summary>
    static readonly (string File, string Method, string Pass, RefcountPruning Pruning)[] Cases =
    [
        ("version-loops.ir", nameof(GoldenSamples.Sum), "version-loops-for-bounds-checks", RefcountPruning.All),
        ("inline-straight-calls.ir", nameof(GoldenSamples.CallsTwice), "inline-straight-calls", RefcountPruning.All),
        ("insert-refcounts.ir", nameof(GoldenSamples.Replace), "insert-refcounts", RefcountPruning.All),
        ("prune-replaced-values.ir", nameof(GoldenSamples.Replace), "prune-refcounts", RefcountPruning.ReplacedValues),
        ("prune-new-references.ir", nameof(GoldenSamples.Replace), "prune-refcounts", RefcountPruning.NewReferences),
        ("prune-pairs.ir", nameof(GoldenSamples.Fresh), "prune-refcounts", RefcountPruning.Pairs),
        ("prune-borrowed-parameters.ir", nameof(GoldenSamples.First), "prune-refcounts", RefcountPruning.BorrowedParameters),
        ("prune-borrowed-cursors.ir", nameof(GoldenSamples.Walk), "prune-refcounts", RefcountPruning.BorrowedCursors),
    ];

    static Pass PassNamed(string name) => NrtPasses.Pipeline.Passes.Single(p => p.Name == name);

    static string GoldenDirectory([CallerFilePath] string path = "") => Path.Combine(Path.GetDirectoryName(path)!, "Golden");

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var c in Cases)
            data.Add(c.File);
        return data;
    }

    /// <summary>Runs <paramref name="pass"/> (only) over every function of <paramref name="module"/>.</summary>
    static string Run(IrModule module, string pass, RefcountPruning pruning)
    {
        new Pipeline([PassNamed(pass)]).Run(module, new CompileOptions { RefcountPruning = pruning });
        return IrPrinter.Print(module);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Pass_turns_the_input_into_the_expected_ir(string file)
    {
        string text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", file)).Replace("\r\n", "\n", StringComparison.Ordinal);
        string pass = Header(text, "pass");
        var pruning = Enum.Parse<RefcountPruning>(Header(text, "pruning"));
        (string input, string expected) = Sections(text);
        IrModule module = IrParser.Parse(input, Types, ResolveClass);
        Assert.Equal(input, IrPrinter.Print(module)); // round trip
        Assert.Equal(expected, Run(module, pass, pruning));
        Assert.Equal(expected, IrPrinter.Print(IrParser.Parse(expected, Types, ResolveClass))); // the output round-trips too
    }

    [Fact]
    public void Every_golden_file_has_a_case_and_every_case_a_file()
    {
        string[] present = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Golden"), "*.ir").Select(Path.GetFileName).ToArray()!;
        Assert.Equal(Cases.Select(c => c.File).Order(), present.Order());
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
    }

    /// <summary>Rewrites the files from the C# samples when UPDATE_GOLDEN=1; otherwise checks nothing is stale.</summary>
    [Fact]
    public void Golden_files_match_what_the_samples_import_to()
    {
        foreach (var c in Cases)
        {
            MethodInfo method = typeof(GoldenSamples).GetMethod(c.Method)!;
            int index = NrtPasses.Pipeline.Passes.ToList().FindIndex(p => p.Name == c.Pass);
            // The input is what the passes before this one make of the sample.
            IrModule module = FrontendCompiler.Compile(method, CompileOptions.Default, Types, new Pipeline(NrtPasses.Pipeline.Passes.Take(index)));
            string input = IrPrinter.Print(module);
            string expected = Run(module, c.Pass, c.Pruning);
            string text = $"; pass: {c.Pass}\n; pruning: {c.Pruning}\n; sample: GoldenSamples.{c.Method}\n; ---- input\n{input}; ---- expected\n{expected}";
            string path = Path.Combine(GoldenDirectory(), c.File);
            if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
            {
                File.WriteAllText(path, text);
                continue;
            }
            Assert.Equal(text, File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", c.File)).Replace("\r\n", "\n", StringComparison.Ordinal));
        }
    }

    static string Header(string text, string key) =>
        text.Split('\n').First(l => l.StartsWith($"; {key}: ", StringComparison.Ordinal))[$"; {key}: ".Length..];

    static (string Input, string Expected) Sections(string text)
    {
        int input = text.IndexOf("; ---- input\n", StringComparison.Ordinal) + "; ---- input\n".Length;
        int expected = text.IndexOf("; ---- expected\n", StringComparison.Ordinal);
        return (text[input..expected], text[(expected + "; ---- expected\n".Length)..]);
    }
}
