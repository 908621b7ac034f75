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
}
