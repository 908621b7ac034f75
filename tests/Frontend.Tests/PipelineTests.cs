using Targets.Frontend.Ir;
using Targets.Frontend.Passes;

namespace Targets.Frontend.Tests;

public sealed class PipelineTests
{
    [Fact]
    public void Frontend_passes_keep_their_ordering_constraints()
    {
        List<string> names = Pipeline.Frontend.Passes.Select(p => p.Name).ToList();
        // Inlining splices callees into loops as imported; versioning matches loops as imported.
        Assert.True(names.IndexOf("version-loops-for-bounds-checks") < names.IndexOf("inline-straight-calls"));
        Assert.All(Pipeline.Frontend.Passes, p => Assert.False(string.IsNullOrWhiteSpace(p.Why)));
    }

    [Fact]
    public void Every_pass_reports_its_counts()
    {
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> counts = FrontendCompiler.Compile(
            typeof(Samples).GetMethod(nameof(Samples.Add))!, CompileOptions.Default, ScalarTypes.Instance, Pipeline.Frontend).PassCounts;
        Assert.Equal(Pipeline.Frontend.Passes.Select(p => p.Name), counts.Keys);
    }

    static InternalCompilerErrorException CompileThrough(Pass pass) =>
        Assert.Throws<InternalCompilerErrorException>(() => FrontendCompiler.Compile(
            typeof(Samples).GetMethod(nameof(Samples.Add))!, CompileOptions.Default, ScalarTypes.Instance, new Pipeline([.. Pipeline.Frontend.Passes, pass])));

    /// <summary>A compiler bug in a pass comes out of the driver as an internal compiler error naming the pass, its exception inside (issue 42: never anything else), apart from refusals.</summary>
    [Fact]
    public void A_pass_that_fails_is_an_internal_error_naming_it()
    {
        InternalCompilerErrorException e = CompileThrough(new Pass("faulty", (_, _, _) => throw new InvalidOperationException("a planted bug"), "a test's"));
        Assert.Equal("pass faulty", e.Stage);
        Assert.IsType<InvalidOperationException>(e.InnerException);
        Assert.Contains("the compiler failed in pass faulty", e.Message);
        Assert.Contains("a planted bug", e.Message);
        Assert.Contains("please report it", e.Message);
        Assert.Contains("Samples.Add", e.MethodName);
        Assert.Contains("function Targets.Frontend.Tests.Samples.Add", e.Ir);

        Assert.Equal("pass indexes", CompileThrough(new Pass("indexes", (_, f, _) => Pass.Count("blocks", f.Blocks[f.Blocks.Count].Instructions.Count), "a test's")).Stage);
    }

    [Fact]
    public void A_pass_that_breaks_the_ir_is_an_internal_error_naming_it()
    {
        InternalCompilerErrorException e = CompileThrough(new Pass("breaks-ir", (_, f, _) =>
        {
            f.Blocks[0].Instructions.Clear(); // a block without a terminator
            return Pass.Count("broken", 1);
        }, "a test's"));
        Assert.Equal("verifying the IR after pass breaks-ir", e.Stage);
        Assert.Contains("does not end in a terminator", e.InnerException!.Message);
    }

    /// <summary>Refusals and bad arguments keep their own exceptions: only other failures are wrapped.</summary>
    [Fact]
    public void Refusals_and_argument_errors_pass_through_unwrapped()
    {
        var refusal = new CompilationException(CompilationErrorKind.UnsupportedConstruct, "M", "a construct", 0, null, 0, "why");
        Assert.Same(refusal, Assert.Throws<CompilationException>(() => FrontendCompiler.Compile(typeof(Samples).GetMethod(nameof(Samples.Add))!, CompileOptions.Default, ScalarTypes.Instance,
            new Pipeline([new Pass("refuses", (_, _, _) => throw refusal, "a test's")]))));
        Assert.Throws<ArgumentException>(() => FrontendCompiler.Compile(typeof(Samples).GetMethod(nameof(Samples.Add))!, CompileOptions.Default, ScalarTypes.Instance,
            new Pipeline([new Pass("argument", (_, _, _) => throw new ArgumentException("bad"), "a test's")])));
    }

    [Fact]
    public void A_pipeline_refuses_two_passes_of_one_name() =>
        Assert.Throws<ArgumentException>(() => new Pipeline([FrontendPasses.VersionLoops, FrontendPasses.VersionLoops]));
}
