using Targets.Cpu.Tests.Harness;
using Targets.Cpu;

namespace Targets.Cpu.Tests;

public static class NrtCode
{
    public static int TemporariesInLoop(int n)
    {
        int total = 0;
        for (int i = 0; i < n; i++)
        {
            var scratch = new int[16];
            scratch[i & 15] = i;
            total += scratch[i & 15];
        }
        return total;
    }

    public static double[] Conditional(bool big, int n)
    {
        double[] a = big ? new double[n * 2] : new double[n];
        double[] unused = new double[3];
        unused[0] = a.Length;
        return a;
    }

    public static int RaisesAfterAllocating(int n)
    {
        var a = new int[n];
        var b = new int[n];
        return a[n] + b[0]; // always out of range
    }

    public static long[] Escapes(int n) => Fill(new long[n]);

    static long[] Fill(long[] a)
    {
        for (int i = 0; i < a.Length; i++)
            a[i] = i * 3L;
        return a;
    }

    public static int Reassigned(int n)
    {
        var a = new int[n];
        var b = a;
        a = new int[n + 1];
        a = b;
        return a.Length + b.Length;
    }

    /// <summary>The new node's variable hands its reference to the caller: the return's incref and the exit's decref pair up.</summary>
    public static TreeNode Fresh(int depth)
    {
        var node = new TreeNode(null, null);
        var other = new TreeNode(null, null);
        if (depth > 0)
        {
            node.Left = other;
            node.Right = other;
        }
        return node;
    }

    public static int TreeCount(int depth) => Fresh(depth).Check();

    static Vec2 Replace(Vec2[] a)
    {
        var v = new Vec2(1, 1);
        if (a.Length > 0) // a branch: not inlined, so the release happens inside the callee
            a[0] = v;
        return v;
    }

    /// <summary>a[0] is read, then a call replaces a[0] (releasing what was read) before the read value is used.</summary>
    public static double ElementReplacedByACall(double x)
    {
        Vec2[] a = Holding(x); // the array alone owns its element
        return a[0].Dot(Replace(a));
    }

    static Vec2[] Holding(double x)
    {
        var a = new Vec2[1];
        if (x > -1000)
            a[0] = new Vec2(x, 4);
        return a;
    }

    static ListNode Pair(int v) => v > -1000 ? new ListNode(1, new ListNode(v, null)) : new ListNode(0, null);

    static int Unlink(ListNode head)
    {
        if (head.Value > 0) // a branch: not inlined
            head.Next = null;
        return 1;
    }

    static int DropAndRead(ListNode owner, ListNode x)
    {
        if (owner.Value > -1000) // a branch: not inlined
            owner.Next = null;
        return x.Value;
    }

    /// <summary>head.Next is passed to a callee that unlinks it, then reads its parameter.</summary>
    public static int ArgumentReleasedByItsCallee(int v)
    {
        ListNode head = Pair(v);
        return DropAndRead(head, head.Next!);
    }

    /// <summary>head.Next is read, then a call unlinks it (releasing it) before the read value is used.</summary>
    public static int FieldReplacedByACall(int v)
    {
        ListNode head = Pair(v); // the head alone owns the second node
        ListNode next = head.Next!;
        return Unlink(head) + next.Value;
    }

    /// <summary>A store into a field of null raises NullReferenceException before the field takes a reference.</summary>
    public static int StoreIntoNull(int v)
    {
        var node = new ListNode(v, null);
        ListNode? head = v > 1000 ? node : null;
        head!.Next = node;
        return node.Value;
    }

    /// <summary>The field store takes a reference between the incref and the variable's release: no pair.</summary>
    public static int Linked()
    {
        var leaf = new TreeNode(null, null);
        var root = new TreeNode(leaf, null);
        root.Right = leaf;
        return root.Check();
    }

    static double At(double[] a, int i) => a[i];

    static int Lengths(int[] x, int[] y) => x.Length * 100 + y.Length;

    /// <summary>The old array is still an argument after the variable is overwritten.</summary>
    public static int OverwrittenWhileInUse(int n)
    {
        var a = new int[n];
        return Lengths(a, a = new int[n + 1]);
    }

    public static int OverwrittenWhenDead(int n)
    {
        var a = new int[n];
        int first = a.Length;
        a = new int[n + 1];
        return first * 100 + a.Length;
    }

    public static double ReadThroughHelper(double[] a)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++)
            s += At(a, i);
        return s;
    }
}

/// <summary>
/// Compiled code and NRT: arrays made in compiled code are freed when their last reference
/// goes, on every path; the pruning pass leaves hot loops without reference counting.
/// </summary>
public sealed class NrtCompilerTests : NrtLeakCheck
{
    static readonly CpuTarget Cpu = new();

    [Fact]
    public void Temporaries_made_in_a_loop_are_freed_as_the_loop_goes()
    {
        NrtStats before = Nrt.GetAllocationStats();
        Assert.Equal(NrtCode.TemporariesInLoop(1000), Cpu.Compile(NrtCode.TemporariesInLoop).Invoke(1000));
        NrtStats used = Nrt.GetAllocationStats().Since(before);
        Assert.Equal(1000, used.MiAlloc);
        Assert.True(used.IsBalanced, used.ToString());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Conditionally_made_arrays_and_returned_arrays_are_released(bool big)
    {
        double[] result = (double[])Cpu.Compile(NrtCode.Conditional).Invoke(big, 5)!;
        Assert.Equal(big ? 10 : 5, result.Length);
    }

    [Fact]
    public void Raising_releases_what_was_allocated_before()
    {
        NrtStats before = Nrt.GetAllocationStats();
        Assert.Throws<IndexOutOfRangeException>(() => Cpu.Compile(NrtCode.RaisesAfterAllocating).Invoke(4));
        NrtStats used = Nrt.GetAllocationStats().Since(before);
        Assert.Equal(2, used.MiAlloc);
        Assert.True(used.IsBalanced, used.ToString());
    }

    [Fact]
    public void Arrays_escape_through_returns_of_callees()
    {
        Assert.Equal(new long[] { 0, 3, 6 }, (long[])Cpu.Compile(NrtCode.Escapes).Invoke(3)!);
    }

    [Fact]
    public void Reassigned_variables_keep_shared_arrays_alive()
    {
        Assert.Equal(NrtCode.Reassigned(4), Cpu.Compile(NrtCode.Reassigned).Invoke(4));
    }

    [Fact]
    public void A_hot_loop_reading_through_a_helper_has_no_refcounting_left()
    {
        CpuCompiledFunction f = (CpuCompiledFunction)Cpu.Compile(NrtCode.ReadThroughHelper);
        Assert.Equal(6.0, f.Invoke(new double[] { 1, 2, 3 }));
        string ir = f.Inspect(Stage.Ir);
        Assert.DoesNotContain("incref", ir);
        Assert.True(f.PassCounts["prune-refcounts"]["BorrowedParameters"] > 0);
        Assert.True(f.PassCounts["insert-refcounts"]["inserted"] > 0); // inserted naively, then all pruned
    }

    [Theory]
    [InlineData(RefcountPruning.All)]
    [InlineData(RefcountPruning.None)]
    public void Releases_of_slots_that_are_null_on_every_path_go_whatever_the_strategies(RefcountPruning pruning)
    {
        var f = (CpuCompiledFunction)Cpu.Compile(NrtCode.TreeCount, new CompileOptions { RefcountPruning = pruning });
        Assert.Equal(NrtCode.TreeCount(3), f.Invoke(3)); // the fixture checks nothing leaked
        Assert.True(f.PassCounts["prune-refcounts"]["NullSlots"] > 0);
        // The constructor's stores to its parameters' slots replace null (s0-s2 start so), and the
        // graveyard slots s3-s5 that insertion parks those replaced values in stay null.
        string ctor = IrText.Of(f, "TreeNode..ctor");
        Assert.DoesNotContain("releases what it replaced last time", ctor);
        foreach (string slot in (string[])["s3", "s4", "s5"])
            Assert.DoesNotContain($"exit releases {slot})", ctor);
    }

    [Fact]
    public void A_returned_new_instance_pairs_its_return_incref_with_its_variables_release_and_a_stored_one_does_not()
    {
        var fresh = (CpuCompiledFunction)Cpu.Compile(NrtCode.Fresh);
        InDebugMode(() =>
        {
            Assert.Equal(3, Cpu.Compile(NrtCode.TreeCount).Invoke(1));
            Assert.Equal(1, Cpu.Compile(NrtCode.TreeCount).Invoke(0));
            Assert.Equal(NrtCode.Linked(), Cpu.Compile(NrtCode.Linked).Invoke());
        });
        Assert.True(fresh.PassCounts["prune-refcounts"]["Pairs"] > 0);
        Assert.DoesNotContain("the caller gets a new reference", fresh.Inspect(Stage.Ir));
        var linked = (CpuCompiledFunction)Cpu.Compile(NrtCode.Linked, new CompileOptions { RefcountPruning = RefcountPruning.Pairs });
        Assert.Contains("field Right takes a reference", linked.Inspect(Stage.Ir));
    }

    [Theory]
    [InlineData(RefcountPruning.All)]
    [InlineData(RefcountPruning.None)]
    public void A_field_store_that_raises_takes_no_reference_it_would_leak(RefcountPruning pruning)
    {
        var f = Cpu.Compile(NrtCode.StoreIntoNull, new CompileOptions { RefcountPruning = pruning });
        Assert.Throws<NullReferenceException>(() => NrtCode.StoreIntoNull(5));
        Assert.Throws<NullReferenceException>(() => f.Invoke(5)); // the fixture checks nothing leaked
    }

    [Fact]
    public void A_value_read_from_a_field_or_element_survives_a_call_that_replaces_it()
    {
        var element = Cpu.Compile(NrtCode.ElementReplacedByACall);
        var field = Cpu.Compile(NrtCode.FieldReplacedByACall);
        InDebugMode(() =>
        {
            Assert.Equal(NrtCode.ElementReplacedByACall(3), element.Invoke(3.0));
            Assert.Equal(NrtCode.FieldReplacedByACall(42), field.Invoke(42));
            Assert.Equal(NrtCode.ArgumentReleasedByItsCallee(42), Cpu.Compile(NrtCode.ArgumentReleasedByItsCallee).Invoke(42));
        });
        // A call that stores into no counted field (Check) leaves reads borrowed: binary-trees pays nothing.
        Assert.DoesNotContain("incref", IrText.Of((CpuCompiledFunction)Cpu.Compile(NrtCode.TreeCount), "TreeNode.Check"));
    }

    [Fact]
    public void Pruning_strategies_can_be_switched_off_without_changing_results_or_leaking()
    {
        RefcountPruning[] each = [RefcountPruning.ReplacedValues, RefcountPruning.NewReferences, RefcountPruning.Pairs, RefcountPruning.BorrowedParameters,
            RefcountPruning.BorrowedCursors];
        foreach (RefcountPruning strategies in each.Append(RefcountPruning.None).Append(RefcountPruning.All))
        {
            var options = new CompileOptions { RefcountPruning = strategies };
            CpuCompiledFunction f = (CpuCompiledFunction)Cpu.Compile(NrtCode.Reassigned, options);
            Assert.Equal(NrtCode.Reassigned(3), f.Invoke(3));
            IReadOnlyDictionary<string, int> removed = f.PassCounts["prune-refcounts"];
            foreach (RefcountPruning one in each)
            {
                if (!strategies.HasFlag(one))
                    Assert.Equal(0, removed[one.ToString()]);
            }
        }
        var all = (CpuCompiledFunction)Cpu.Compile(NrtCode.Reassigned);
        Assert.True(all.PassCounts["prune-refcounts"].Values.Sum() > 0);
    }

    [Fact]
    public void Returned_arrays_can_be_viewed_without_copying_and_released_once()
    {
        var make = Cpu.Compile(NrtCode.Escapes).AsDelegate<Func<int, NrtArray<long>>>();
        NrtStats before = Nrt.GetAllocationStats();
        NrtArray<long> view = make(4)!;
        Assert.Equal(1, view.RefCount);
        Assert.Equal(new long[] { 0, 3, 6, 9 }, view.ToArray());
        view.AsSpan()[0] = 42; // in place
        Assert.Equal(42, view.AsSpan()[0]);
        Assert.Equal(1, Nrt.GetAllocationStats().Since(before).MiAlloc - Nrt.GetAllocationStats().Since(before).MiFree);
        view.Dispose();
        view.Dispose(); // once only
        Assert.Throws<ObjectDisposedException>(() => view.AsSpan());
        Assert.True(Nrt.GetAllocationStats().Since(before).IsBalanced);
    }

    [Fact]
    public void A_dotnet_array_returned_as_a_view_is_that_array()
    {
        double[] input = [1, 2, 3];
        var echo = Cpu.Compile(ApiSamples.Echo).AsDelegate<Func<double[], NrtArray<double>>>();
        using NrtArray<double> view = echo(input)!;
        view.AsSpan()[1] = 20;
        Assert.Equal(20, input[1]);
        Assert.Equal(0, view.RefCount);
        Assert.Throws<ArgumentException>(() => Cpu.Compile(ApiSamples.Echo).AsDelegate<Func<double[], NrtArray<float>>>());
    }

    [Fact]
    public void A_replaced_array_still_in_use_is_kept_alive_until_the_store_site_runs_again()
    {
        var inUse = (CpuCompiledFunction)Cpu.Compile(NrtCode.OverwrittenWhileInUse);
        var dead = (CpuCompiledFunction)Cpu.Compile(NrtCode.OverwrittenWhenDead);
        InDebugMode(() =>
        {
            Assert.Equal(NrtCode.OverwrittenWhileInUse(5), inUse.Invoke(5));
            Assert.Equal(NrtCode.OverwrittenWhenDead(5), dead.Invoke(5));
        });
        // Negative case: the replaced array is an argument of the call after the store, so it is not
        // released at once but parked in the store site's graveyard slot, released when the site runs
        // again or at exit (here the site runs once: what the graveyard held before was null, and
        // that release went; the fixture checks the parked array was released).
        Assert.DoesNotContain("releases the value it replaced", IrText.Of(inUse, "NrtCode.OverwrittenWhileInUse"));
        // Positive case: nothing uses the old array after the store, so it is released at once.
        string deadIr = dead.Inspect(Stage.Ir);
        Assert.Contains("releases the value it replaced", deadIr);
        Assert.DoesNotContain("releases what it replaced last time", deadIr);
        Assert.True(dead.PassCounts["prune-refcounts"]["ReplacedValues"] > 0);
    }

    [Fact]
    public void The_leak_fixture_can_fail()
    {
        var probe = new Probe();
        unsafe
        {
            nint mi = ((delegate* unmanaged<long, nint>)CpuTarget.Runtime.MemInfoAlloc)(8);
            Assert.Throws<Xunit.Sdk.TrueException>(probe.Dispose);
            ((delegate* unmanaged<nint, void>)CpuTarget.Runtime.Decref)(mi);
        }
    }

    sealed class Probe : NrtLeakCheck;
}
