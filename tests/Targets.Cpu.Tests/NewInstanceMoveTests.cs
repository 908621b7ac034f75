using Targets.Cpu.Tests.Harness;

namespace Targets.Cpu.Tests;

#pragma warning disable CA1051 // jit classes are made of public fields

/// <summary>A list cell whose constructor raises for a negative value, between its field stores.</summary>
[JitClass]
public sealed class CheckedCell
{
    public long Value;
    public CheckedCell? Next;

    public CheckedCell(long value, CheckedCell? next)
    {
        Next = next;
        if (value < 0)
            throw new ArgumentOutOfRangeException(nameof(value));
        Value = value;
    }
}

/// <summary>Lists built front to back (<c>head = new ListNode(i, head)</c>); the same C# runs on .NET and compiled.</summary>
public static class MoveCode
{
    public static long BuildAndWalk(int n)
    {
        ListNode? head = null;
        for (int i = 0; i < n; i++)
            head = new ListNode(i * 3, head);
        long sum = 0;
        for (ListNode? p = head; p != null; p = p.Next)
            sum += p.Value;
        return sum;
    }

    /// <summary>Builds down from <paramref name="n"/> − 5: the constructor raises at −1, with the list half made.</summary>
    public static long BuildUntilItRaises(int n)
    {
        CheckedCell? head = null;
        for (long i = n - 5; i < n; i--)
            head = new CheckedCell(i, head);
        return head!.Value;
    }

    /// <summary>The new cell is kept in a second variable too, and the first is overwritten before the walk.</summary>
    public static long KeptTwice(int n)
    {
        ListNode? head = null, last = null;
        for (int i = 0; i < n; i++)
        {
            head = new ListNode(i, head);
            if (i == n / 2)
                last = head;
        }
        head = new ListNode(-1, null);
        long sum = head.Value;
        for (ListNode? p = last; p != null; p = p.Next)
            sum += p.Value;
        return sum;
    }
}

/// <summary>
/// A new instance whose constructor was inlined (field stores only) hands its reference to the
/// variable that takes it, and the previous head moves into its Next field: the build loop of a
/// linked list counts nothing. A constructor that may raise keeps the counting, and raising there
/// leaks nothing; results are .NET's, in debug mode (freed memory poisoned), with balanced stats.
/// </summary>
[Collection(nameof(NrtSerial))]
public sealed class NewInstanceMoveTests : NrtLeakCheck
{
    static readonly CpuTarget Cpu = new();

    /// <summary>The IR block of <paramref name="function"/> that makes the instance.</summary>
    static string AllocatingBlock(string function) =>
        function.Split("\nblock").Single(b => b.Contains("new_instance", StringComparison.Ordinal));

    [Fact]
    public void The_build_loop_of_a_linked_list_counts_no_references()
    {
        var f = (CpuCompiledFunction)Cpu.Compile(MoveCode.BuildAndWalk);
        string block = AllocatingBlock(IrText.Of(f, "MoveCode.BuildAndWalk"));
        Assert.DoesNotContain("incref", block);
        Assert.DoesNotContain("decref", block);
        Assert.True(f.PassCounts["prune-refcounts"]["NewReferences"] > 0);
        foreach (int n in new[] { 0, 1, 2, 1000 })
            Assert.Equal(MoveCode.BuildAndWalk(n), InDebugMode(() => (long)f.Invoke(n)!));
    }

    [Fact]
    public void A_constructor_that_raises_mid_build_leaks_nothing()
    {
        var f = (CpuCompiledFunction)Cpu.Compile(MoveCode.BuildUntilItRaises);
        Assert.Throws<ArgumentOutOfRangeException>(() => MoveCode.BuildUntilItRaises(10));
        foreach (int n in new[] { 5, 6, 100 })
            Assert.Throws<ArgumentOutOfRangeException>(() => InDebugMode(() => f.Invoke(n)));
    }

    [Fact]
    public void A_cell_kept_in_a_second_variable_outlives_the_first()
    {
        var f = (CpuCompiledFunction)Cpu.Compile(MoveCode.KeptTwice);
        foreach (int n in new[] { 1, 2, 7, 500 })
            Assert.Equal(MoveCode.KeptTwice(n), InDebugMode(() => (long)f.Invoke(n)!));
    }

    [Fact]
    public void Switched_off_the_build_loop_counts_again_with_the_same_result()
    {
        var options = new CompileOptions { RefcountPruning = RefcountPruning.All & ~RefcountPruning.NewReferences };
        var f = (CpuCompiledFunction)Cpu.Compile(MoveCode.BuildAndWalk, options);
        Assert.Contains("incref", AllocatingBlock(IrText.Of(f, "MoveCode.BuildAndWalk")));
        Assert.Equal(MoveCode.BuildAndWalk(300), InDebugMode(() => (long)f.Invoke(300)!));
    }
}
