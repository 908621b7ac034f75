using Targets.Cpu.Tests.Harness;
using System.Text.RegularExpressions;
using Targets.Cpu;

namespace Targets.Cpu.Tests;

#pragma warning disable CA1051 // jit classes are made of public fields

/// <summary>A list node whose walks the tests below borrow, or must not.</summary>
[JitClass]
public sealed class WalkNode
{
    public int Value;
    public WalkNode? Next;
    public WalkNode? Mark;

    public WalkNode(int value, WalkNode? next)
    {
        Value = value;
        Next = next;
    }

    /// <summary>Stores a field other than Next (a branch keeps it a call).</summary>
    public void Bump(int by)
    {
        Value += by;
        if (Value > 1000)
            Value -= 1000;
    }

    /// <summary>Unlinks the first node after this one that holds <paramref name="value"/>: stores Next.</summary>
    public void Remove(int value)
    {
        for (WalkNode n = this; n.Next != null; n = n.Next)
        {
            if (n.Next.Value == value)
            {
                n.Next = n.Next.Next;
                return;
            }
        }
    }
}

/// <summary>Walks over <see cref="WalkNode"/> lists; the same C# runs on .NET and compiled.</summary>
public static class WalkCode
{
    static WalkNode? Build(int n)
    {
        WalkNode? head = null;
        for (int i = n - 1; i >= 0; i--)
            head = new WalkNode(i, head);
        return head;
    }

    public static long Sum(int n)
    {
        WalkNode? head = Build(n & 1023);
        long sum = 0;
        for (WalkNode? p = head; p != null; p = p.Next)
            sum += p.Value;
        return sum;
    }

    /// <summary>The particles' shape: every step calls a method that stores fields, not Next.</summary>
    public static long BumpAll(int n, int rounds)
    {
        WalkNode? head = Build(n & 1023);
        for (int r = 0; r < (rounds & 15); r++)
        {
            for (WalkNode? p = head; p != null; p = p.Next)
                p.Bump(r + 1);
        }
        long sum = 0;
        for (WalkNode? p = head; p != null; p = p.Next)
            sum += p.Value;
        return sum;
    }

    static long SumFrom(WalkNode? head)
    {
        long sum = 0;
        for (WalkNode? p = head; p != null; p = p.Next)
            sum += p.Value;
        return sum;
    }

    static int Length(WalkNode? p)
    {
        int n = 0;
        while (p != null)
        {
            n++;
            p = p.Next;
        }
        return n;
    }

    /// <summary>A borrowed parameter as the anchor; an assigned parameter as the cursor.</summary>
    public static long FromParameters(int n)
    {
        WalkNode? head = Build(n & 1023);
        return SumFrom(head) * 10_000 + Length(head);
    }

    /// <summary>A copy of the cursor in the body: the copy counts, so that the cursor can borrow.</summary>
    public static long CopyInBody(int n)
    {
        WalkNode? head = Build(n & 1023);
        long sum = 0;
        for (WalkNode? p = head; p != null; p = p.Next)
        {
            WalkNode q = p;
            if (q.Value % 2 == 0)
                sum += q.Value;
        }
        return sum;
    }

    /// <summary>The body unlinks the node the cursor is on: only the cursor's reference keeps it.</summary>
    public static long UnlinkInBody(int n)
    {
        WalkNode? head = Build(n & 1023);
        long sum = 0;
        for (WalkNode? p = head; p != null; p = p.Next)
        {
            if (p.Value % 3 == 1)
            {
                WalkNode q = head!;
                while (q.Next != p)
                    q = q.Next!;
                q.Next = p.Next;
            }
            sum += p.Value;
        }
        return sum * 10_000 + SumFrom(head);
    }

    /// <summary>As <see cref="UnlinkInBody"/>, through a call that stores Next.</summary>
    public static long UnlinkThroughCall(int n)
    {
        WalkNode? head = Build(n & 1023);
        long sum = 0;
        for (WalkNode? p = head; p != null; p = p.Next)
        {
            if (p.Value % 3 == 1)
                head!.Remove(p.Value);
            sum += p.Value;
        }
        return sum * 10_000 + SumFrom(head);
    }

    /// <summary>The head is dropped halfway: the rest of the list lives on through the cursor's reference.</summary>
    public static long HeadReassigned(int n)
    {
        n &= 1023;
        WalkNode? head = Build(n);
        long sum = 0;
        for (WalkNode? p = head; p != null; p = p.Next)
        {
            sum += p.Value;
            if (p.Value == n / 2)
                head = null;
        }
        return sum;
    }

    static WalkNode? Find(WalkNode? head, int value)
    {
        for (WalkNode? p = head; p != null; p = p.Next)
        {
            if (p.Value == value)
                return p;
        }
        return null;
    }

    /// <summary>The cursor is kept in a field and returned; the list is dropped after.</summary>
    public static long Escapes(int n)
    {
        n &= 1023;
        WalkNode? head = Build(n + 3);
        var keeper = new WalkNode(-1, null);
        for (WalkNode? p = head; p != null; p = p.Next)
        {
            if (p.Value == n / 2)
                keeper.Mark = p;
        }
        WalkNode found = Find(head, n + 1)!;
        head = null;
        return keeper.Mark!.Value * 1_000_000L + found.Value * 1000L + found.Next!.Value + (head is null ? 0 : 1);
    }
}

/// <summary>
/// The BorrowedCursors strategy of prune-refcounts: list walks whose links nothing can break
/// borrow (no refcounting left in the loop); walks whose node may lose its last link while the
/// cursor is on it keep counting. Results are checked against .NET in debug mode (freed memory is
/// filled, so a premature free shows) and leaks by the fixture.
/// </summary>
[Collection(nameof(NrtSerial))]
public sealed class BorrowedCursorTests : NrtLeakCheck
{
    static readonly CpuTarget Cpu = new();

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1000)]
    public void A_list_sum_walks_without_refcounting(int n)
    {
        var f = (CpuCompiledFunction)Cpu.Compile(WalkCode.Sum);
        Assert.Equal(WalkCode.Sum(n), InDebugMode(() => f.Invoke(n)));
        Assert.True(f.PassCounts["prune-refcounts"]["BorrowedCursors"] > 0);
        AssertWalkCountsNothing(IrText.Of(f, "WalkCode.Sum"));
    }

    [Fact]
    public void A_walk_calling_a_method_that_stores_other_fields_borrows()
    {
        var f = (CpuCompiledFunction)Cpu.Compile(WalkCode.BumpAll);
        Assert.Equal(WalkCode.BumpAll(300, 7), InDebugMode(() => f.Invoke(300, 7)));
        string ir = IrText.Of(f, "WalkCode.BumpAll");
        Assert.Contains("call Targets.Cpu.Tests.WalkNode.Bump", ir);
        AssertWalkCountsNothing(ir);
    }

    [Fact]
    public void Parameters_anchor_walks_and_walk_themselves()
    {
        var f = (CpuCompiledFunction)Cpu.Compile(WalkCode.FromParameters);
        Assert.Equal(WalkCode.FromParameters(200), InDebugMode(() => f.Invoke(200)));
        AssertWalkCountsNothing(IrText.Of(f, "WalkCode.SumFrom"));
        AssertWalkCountsNothing(IrText.Of(f, "WalkCode.Length"));
    }

    [Fact]
    public void A_copy_of_the_cursor_counts_so_that_the_cursor_can_borrow()
    {
        var f = (CpuCompiledFunction)Cpu.Compile(WalkCode.CopyInBody);
        Assert.Equal(WalkCode.CopyInBody(300), InDebugMode(() => f.Invoke(300)));
        string ir = IrText.Of(f, "WalkCode.CopyInBody");
        AssertWalkCountsNothing(ir);
        Assert.Contains("takes a reference", ir);
    }

    [Theory]
    [InlineData(nameof(WalkCode.UnlinkInBody))]
    [InlineData(nameof(WalkCode.UnlinkThroughCall))]
    [InlineData(nameof(WalkCode.HeadReassigned))]
    public void Walks_that_may_unlink_the_cursors_node_keep_counting(string name)
    {
        Func<int, long> dotnet = name switch
        {
            nameof(WalkCode.UnlinkInBody) => WalkCode.UnlinkInBody,
            nameof(WalkCode.UnlinkThroughCall) => WalkCode.UnlinkThroughCall,
            _ => WalkCode.HeadReassigned,
        };
        var f = (CpuCompiledFunction)Cpu.Compile(dotnet);
        foreach (int n in new[] { 0, 1, 2, 50, 1000 })
            Assert.Equal(dotnet(n), InDebugMode(() => f.Invoke(n)));
        Assert.Contains("takes a reference", WalkBlocks(IrText.Of(f, "WalkCode." + name)));
    }

    [Fact]
    public void A_cursor_kept_in_a_field_or_returned_takes_a_reference_there()
    {
        var f = (CpuCompiledFunction)Cpu.Compile(WalkCode.Escapes);
        foreach (int n in new[] { 0, 5, 1000 })
            Assert.Equal(WalkCode.Escapes(n), InDebugMode(() => f.Invoke(n)));
        // The cursors borrow; what keeps one takes its own reference.
        string escapes = IrText.Of(f, "WalkCode.Escapes"), find = IrText.Of(f, "WalkCode.Find");
        AssertWalkCountsNothing(escapes);
        AssertWalkCountsNothing(find);
        Assert.Contains("field Mark takes a reference", escapes);
        Assert.Contains("the caller gets a new reference", find);
    }

    [Fact]
    public void Switched_off_the_walk_counts_again_with_the_same_result()
    {
        var options = new CompileOptions { RefcountPruning = RefcountPruning.All & ~RefcountPruning.BorrowedCursors };
        var f = (CpuCompiledFunction)Cpu.Compile(WalkCode.Sum, options);
        Assert.Equal(WalkCode.Sum(100), InDebugMode(() => f.Invoke(100)));
        Assert.Equal(0, f.PassCounts["prune-refcounts"]["BorrowedCursors"]);
        Assert.Contains("takes a reference", WalkBlocks(IrText.Of(f, "WalkCode.Sum")));
    }

    /// <summary>No refcounting in the blocks of the walk (those that step along Next).</summary>
    static void AssertWalkCountsNothing(string function)
    {
        string walk = WalkBlocks(function);
        Assert.NotEmpty(walk);
        Assert.DoesNotContain("incref", walk);
        Assert.DoesNotContain("decref", walk);
    }

    /// <summary>The blocks that step a variable along Next (<c>p = p.Next</c>).</summary>
    static string WalkBlocks(string function) =>
        string.Join('\n', function.Split("\nblock").Skip(1).Where(b =>
            Regex.Matches(b, @"(v\d+): WalkNode = load_field\.WalkNode WalkNode\.Next").Any(m => Regex.IsMatch(b, $@"store_slot s\d+, {m.Groups[1].Value}\b"))));
}
