using Targets.Cpu.Tests.Harness;
namespace Targets.Cpu.Tests;

/// <summary>Code for <see cref="InliningTests"/>: the same C# runs on .NET and compiled.</summary>
public static class InliningCode
{
    public static TreeNode Make(int depth) => depth == 0 ? new TreeNode(null, null) : new TreeNode(Make(depth - 1), Make(depth - 1));

    public static int Tree(int depth) => Make(depth & 15).Check();

    static int Twice(int x) => x * 2;

    static int Clamped(int x) => x < 0 ? 0 : x; // a branch: stays a call

    static int Checked(int x)
    {
        if (x > 1000)
            throw new ArgumentOutOfRangeException(nameof(x)); // a raise: stays a call
        return x;
    }

    public static int Helpers(int x) => Twice(x) + Clamped(x) + Checked(x);

    /// <summary>The node kept in a variable and stored twice into one field: the first store's reference must survive.</summary>
    public static int Restored(int n)
    {
        var leaf = new TreeNode(null, null);
        var other = new TreeNode(null, null);
        var root = new TreeNode(leaf, leaf);
        root.Left = other;
        root.Left = leaf;
        return root.Check() + n;
    }

    /// <summary>A call between the field store and the variable's release: the store keeps its own reference.</summary>
    public static int CallAfterStore(int n)
    {
        var leaf = new TreeNode(null, null);
        var root = new TreeNode(null, null);
        root.Left = leaf;
        root.Right = leaf;
        int checks = root.Check();
        return checks + Twice(n);
    }
}

/// <summary>
/// <c>inline-straight-calls</c> and what it lets pruning do: constructors' field stores become
/// moves of the caller's references, fresh fields release nothing. Results are checked against
/// .NET in debug mode (freed memory is filled, so a premature free shows) and leaks by the fixture.
/// </summary>
[Collection(nameof(NrtSerial))]
public sealed class InliningTests : NrtLeakCheck
{
    static readonly CpuTarget Cpu = new();

    [Fact]
    public void A_constructor_that_stores_fields_is_spliced_in_and_its_stores_take_the_callers_references()
    {
        var f = (CpuCompiledFunction)Cpu.Compile(InliningCode.Tree);
        Assert.Equal(InliningCode.Tree(6), InDebugMode(() => f.Invoke(6)));
        Assert.True(f.PassCounts["inline-straight-calls"]["calls"] >= 2);
        string make = IrText.Of(f, "InliningCode.Make");
        Assert.DoesNotContain("call Targets.Cpu.Tests.TreeNode..ctor", make);
        Assert.DoesNotContain("incref", make); // moves: the fields take the callees' results, the caller the new node
        Assert.DoesNotContain("releases what it replaced", make); // a new node's fields were null
    }

    [Fact]
    public void Only_straight_line_callees_are_spliced_in()
    {
        var f = (CpuCompiledFunction)Cpu.Compile(InliningCode.Helpers);
        Assert.Equal(InliningCode.Helpers(7), f.Invoke(7));
        Assert.Equal(InliningCode.Helpers(-7), f.Invoke(-7));
        Assert.Throws<ArgumentOutOfRangeException>(() => f.Invoke(2000));
        string helpers = IrText.Of(f, "InliningCode.Helpers");
        Assert.DoesNotContain("call Targets.Cpu.Tests.InliningCode.Twice", helpers);
        Assert.Contains("call Targets.Cpu.Tests.InliningCode.Clamped", helpers);
        Assert.Contains("call Targets.Cpu.Tests.InliningCode.Checked", helpers);
        Assert.Contains("call Targets.Cpu.Tests.InliningCode.Make", IrText.Of((CpuCompiledFunction)Cpu.Compile(InliningCode.Tree), "InliningCode.Make")); // recursive
    }

    [Fact]
    public void A_reference_moved_into_a_field_is_kept_when_the_field_is_stored_again_or_a_call_follows()
    {
        var restored = (CpuCompiledFunction)Cpu.Compile(InliningCode.Restored);
        var callAfter = (CpuCompiledFunction)Cpu.Compile(InliningCode.CallAfterStore);
        Assert.Equal(InliningCode.Restored(1), InDebugMode(() => restored.Invoke(1)));
        Assert.Equal(InliningCode.CallAfterStore(1), InDebugMode(() => callAfter.Invoke(1)));
        Assert.Contains("field Left takes a reference", IrText.Of(restored, "InliningCode.Restored"));
        Assert.Contains("field Right takes a reference", IrText.Of(callAfter, "InliningCode.CallAfterStore"));
    }
}
