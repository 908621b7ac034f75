using Targets.Frontend.Ir;
using Targets.Frontend.Passes;

namespace Targets.Frontend.Tests;

/// <summary>
/// The frontend's passes on IR alone (no target, no runtime): what each does and where it declines.
/// The cpu target's tests check that the code they leave behaves as .NET does; the golden files in
/// tests/Nrt.Tests pin their exact output.
/// </summary>
public sealed class FrontendPassTests
{
    static IrModule Import(string name, Pipeline pipeline) =>
        FrontendCompiler.Compile(typeof(PassSamples).GetMethod(name)!, CompileOptions.Default, ScalarTypes.Instance, pipeline);

    static int Count(IrModule module, Func<Instruction, bool> what) =>
        module.Entry.Blocks.SelectMany(b => b.Instructions).Count(what);

    [Fact]
    public void A_counted_loop_gets_a_copy_without_bounds_checks()
    {
        IrModule before = Import(nameof(PassSamples.Fill), new Pipeline([]));
        IrModule after = Import(nameof(PassSamples.Fill), new Pipeline([FrontendPasses.VersionLoops]));
        Assert.Equal(0, Count(before, i => i.Op == Opcode.StoreElement && !i.BoundsChecked));
        Assert.Equal(1, Count(after, i => i.Op == Opcode.StoreElement && !i.BoundsChecked));
        Assert.Equal(1, Count(after, i => i.Op == Opcode.StoreElement && i.BoundsChecked)); // the checked copy stays
        Assert.Equal(1, after.PassCounts["version-loops-for-bounds-checks"]["loops"]);
    }

    [Fact]
    public void Past_the_cap_the_deepest_loops_are_versioned_and_the_rest_keep_their_checks()
    {
        IrModule after = Import(nameof(PassSamples.ManyLoops), new Pipeline([FrontendPasses.VersionLoops]));
        Assert.Equal(VersionLoopsForBoundsChecks.MaxVersionedLoops, after.PassCounts["version-loops-for-bounds-checks"]["loops"]);
        Assert.Equal(34 - VersionLoopsForBoundsChecks.MaxVersionedLoops, after.PassCounts["version-loops-for-bounds-checks"]["capped"]);
        // The nest's inner loop (the last in the method, and the only one storing into b) is among those versioned.
        IrFunction f = after.Entry;
        Assert.Equal(1, Count(after, i => i.Op == Opcode.StoreElement && !i.BoundsChecked && IsLoadOfSlot(f, i.Operands[0], 1)));
        Assert.Equal(VersionLoopsForBoundsChecks.MaxVersionedLoops - 1, Count(after, i => i.Op == Opcode.StoreElement && !i.BoundsChecked && IsLoadOfSlot(f, i.Operands[0], 0)));
    }

    static bool IsLoadOfSlot(IrFunction f, ValueId value, int slot) =>
        f.Blocks.SelectMany(b => b.Instructions).Any(i => i.Result == value && i.Op == Opcode.LoadSlot && i.Slot == slot);

    [Fact]
    public void A_loop_whose_step_is_not_one_is_left_checked()
    {
        IrModule after = Import(nameof(PassSamples.SumBy), new Pipeline([FrontendPasses.VersionLoops]));
        Assert.Equal(0, after.PassCounts["version-loops-for-bounds-checks"]["loops"]);
        Assert.Equal(0, Count(after, i => i.Op == Opcode.LoadElement && !i.BoundsChecked));
    }

    [Fact]
    public void Straight_line_callees_are_spliced_in_and_others_stay_calls()
    {
        IrModule after = Import(nameof(PassSamples.Helpers), Pipeline.Frontend);
        string[] called = after.Entry.Blocks.SelectMany(b => b.Instructions).Where(i => i.Op == Opcode.Call)
            .Select(i => after.Functions[i.Callee].Name).ToArray();
        Assert.DoesNotContain(called, c => c.EndsWith(".Twice", StringComparison.Ordinal));     // straight line: inlined
        Assert.Contains(called, c => c.EndsWith(".Clamped", StringComparison.Ordinal));         // a branch: stays a call
        Assert.Contains(called, c => c.EndsWith(".Countdown", StringComparison.Ordinal));       // recursive: stays a call
        Assert.Equal(1, after.PassCounts["inline-straight-calls"]["calls"]);
    }

    [Fact]
    public void A_prange_loop_is_imported_as_an_ordinary_loop_and_recorded()
    {
        IrModule module = Import(nameof(PassSamples.PrangeSum), new Pipeline([]));
        (int end, SourceLocation at, bool kernel) = Assert.Single(module.Entry.PrangeCursors).Value;
        Assert.False(kernel);
        Assert.Equal(IrType.I64, module.Entry.Slots[end]);
        Assert.EndsWith("PassSamples.cs", at.File);
        Assert.Single(module.Functions); // in order: no other function
    }

    [Fact]
    public void A_unit_step_prange_loop_becomes_a_counted_loop_that_versioning_takes()
    {
        IrModule module = Import(nameof(PassSamples.PrangeSum), new Pipeline([FrontendPasses.CountPrange, FrontendPasses.VersionLoops]));
        Assert.Equal(1, module.PassCounts["count-prange-loops"]["loops"]);
        Assert.Equal(1, module.PassCounts["version-loops-for-bounds-checks"]["loops"]);
        Assert.Empty(module.Entry.PrangeCursors);

        IrModule stepped = Import(nameof(PassSamples.PrangeStepped), new Pipeline([FrontendPasses.CountPrange]));
        Assert.Equal(0, stepped.PassCounts["count-prange-loops"]["loops"]); // a step of -2 keeps the enumerator
    }

    [Fact]
    public void Outlining_makes_a_body_and_a_dispatch_with_the_captures_and_reductions()
    {
        IrModule module = Import(nameof(PassSamples.PrangeSum), new Pipeline([FrontendPasses.OutlineParallel, FrontendPasses.CountPrange]));
        Assert.Equal(1, module.PassCounts["outline-parallel-loops"]["loops"]);
        Assert.Equal(1, module.PassCounts["count-prange-loops"]["loops"]); // the body's loop, counted
        IrFunction dispatch = Assert.Single(module.Functions, f => f.ParallelLoop is not null);
        ParallelLoop loop = dispatch.ParallelLoop!;
        Assert.Equal(2, loop.Captures); // a and scale
        Assert.Equal(new Reduction(ReductionOp.Add, IrType.F64), Assert.Single(loop.Reductions));
        IrFunction body = module.Functions[loop.Body];
        Assert.Equal([IrType.I64, IrType.I64, IrType.I64, IrType.I64, module.Types.ArrayOf(IrType.F64), IrType.F64, module.Types.ByRefTo(IrType.F64)], body.ParameterTypes);
        Assert.Contains(module.Entry.Blocks.SelectMany(b => b.Instructions), i => i.Op == Opcode.Call && i.Callee == module.Functions.IndexOf(dispatch));

        IrModule stepped = Import(nameof(PassSamples.PrangeStepped), new Pipeline([FrontendPasses.OutlineParallel]));
        Assert.Equal(new Reduction(ReductionOp.Or, IrType.I32), Assert.Single(Assert.Single(stepped.Functions, f => f.ParallelLoop is not null).ParallelLoop!.Reductions));
    }

    [Fact]
    public void A_kernel_launcher_loops_over_the_extent_and_calls_the_kernel_with_one_int_per_dimension()
    {
        IrModule module = FrontendCompiler.CompileKernel(typeof(PassSamples).GetMethod(nameof(PassSamples.Kernel))!, CompileOptions.Default, ScalarTypes.Instance, new Pipeline([]));
        Assert.Equal([IrType.I64, IrType.I32, IrType.I32, module.Types.ArrayOf(IrType.I32, 2)], module.Entry.ParameterTypes);
        Assert.True(Assert.Single(module.Entry.PrangeCursors).Value.WritesVouched);
        Assert.Equal([IrType.I32, IrType.I32, module.Types.ArrayOf(IrType.I32, 2)], module.Functions[1].ParameterTypes);
        var e = Assert.Throws<CompilationException>(() => FrontendCompiler.CompileKernel(typeof(PassSamples).GetMethod(nameof(PassSamples.PrangeSum))!, CompileOptions.Default, ScalarTypes.Instance, new Pipeline([])));
        Assert.Contains("a kernel returns void", e.Message);
    }
}
