using Targets.Runtime;
using Targets.Testing;

namespace Targets.Cpu.Tests;

#pragma warning disable CA1051 // jit classes are made of public fields

[JitClass]
public sealed class Peer
{
    public Peer? Other;
    public int Value;

    public Peer(int value) => Value = value;
}

/// <summary>Holds a peer but cannot reach itself: never tracked.</summary>
[JitClass]
public sealed class PeerHolder
{
    public Peer? Held;
    public int[]? Numbers;
}

[JitClass]
public abstract class Part
{
    public Part? Next;

    public abstract int Size();
}

[JitClass]
public sealed class Gear : Part
{
    public int Teeth;

    public Gear(int teeth) => Teeth = teeth;

    public override int Size() => Teeth;
}

/// <summary>Closes a cycle of parts through an untracked holder.</summary>
[JitClass]
public sealed class Belt : Part
{
    public PeerHolder? Holder;

    public override int Size() => Holder?.Held?.Value ?? -1;
}

/// <summary>A tree the program promises never to make cyclic: not tracked although its fields could be.</summary>
[JitClass(Acyclic = true)]
public sealed class PlainTree
{
    public PlainTree? Left, Right;
}

/// <summary>Too big for the pools: tracked through the collector's lists instead of its slabs.</summary>
[JitClass]
public sealed class BigPeer
{
    public BigPeer? Other;
    public long A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, P, Q, R, S, T, U, V, W, X, Y, Z, A2, B2, C2, D2;
}

public static class CycleCode
{
    public static int Pairs(int n)
    {
        int sum = 0;
        for (int i = 0; i < n; i++)
        {
            var a = new Peer(i);
            var b = new Peer(i + 1);
            a.Other = b;
            b.Other = a;
            sum += a.Other.Value - b.Other.Value;
        }
        return sum;
    }

    /// <summary>A three-peer ring, of which the caller keeps one.</summary>
    public static Peer Ring(int n)
    {
        var a = new Peer(n);
        var b = new Peer(n + 1);
        var c = new Peer(n + 2);
        a.Other = b;
        b.Other = c;
        c.Other = a;
        return b;
    }

    /// <summary>Rings of parts whose belt holds, through an untracked holder, a peer in a cycle of its own.</summary>
    public static int Machines(int n)
    {
        int sum = 0;
        for (int i = 0; i < n; i++)
        {
            var gear = new Gear(i);
            var belt = new Belt { Holder = new PeerHolder { Held = new Peer(i), Numbers = new int[4] } };
            belt.Holder.Held!.Other = belt.Holder.Held;
            gear.Next = belt;
            belt.Next = gear;
            sum += gear.Next.Size() + belt.Next.Size();
        }
        return sum;
    }

    public static int BigPairs(int n)
    {
        long sum = 0;
        for (int i = 0; i < n; i++)
        {
            var a = new BigPeer { A = i };
            var b = new BigPeer { D2 = 2 * i };
            a.Other = b;
            b.Other = a;
            sum += a.Other.D2 + b.Other.A;
        }
        return (int)sum;
    }

    public static PeerHolder Holder(int n) => new() { Held = new Peer(n) };

    public static PlainTree Tree(int depth) => depth == 0 ? new PlainTree() : new PlainTree { Left = Tree(depth - 1), Right = Tree(depth - 1) };
}

/// <summary>
/// The cycle collector on the cpu target: what it frees (reference cycles nothing outside holds), what it keeps (cycles a
/// box, an untracked instance or a local holds), what it never tracks, and the automatic policy. Every test here ends
/// balanced (the leak fixture collects, then counts).
/// </summary>
[Collection(nameof(NrtSerial))]
public sealed class CycleCollectorTests : NrtLeakCheck
{
    static readonly CpuTarget Cpu = new();

    /// <summary>Runs <paramref name="body"/> with automatic collection off, so that only explicit collections free cycles.</summary>
    static void Manually(Action body)
    {
        Nrt.AutomaticCycleCollection = false;
        try
        {
            body();
        }
        finally
        {
            Nrt.AutomaticCycleCollection = true;
        }
    }

    [Fact]
    public void Dropped_pairs_leak_until_a_collection_frees_every_one() => Manually(() =>
    {
        Nrt.CollectCycles();
        NrtStats before = Nrt.GetAllocationStats();
        Assert.Equal(CycleCode.Pairs(1000), Cpu.Compile(CycleCode.Pairs).Invoke(1000));
        NrtStats leaked = Nrt.GetAllocationStats().Since(before);
        Assert.Equal(2000, leaked.Alloc - leaked.Free);
        Assert.Equal(2000, Nrt.TrackedInstances);

        CollectedCycles collected = Nrt.CollectCycles();
        Assert.Equal(2000, collected.Freed);
        Assert.Equal(2000, collected.Examined);
        Assert.True(Nrt.GetAllocationStats().Since(before).IsBalanced);
        Assert.Equal(0, Nrt.TrackedInstances);
    });

    [Fact]
    public void A_cycle_a_box_holds_is_kept_and_freed_once_the_box_is_gone() => Manually(() =>
    {
        Nrt.CollectCycles();
        var b = (JitObject)Cpu.Compile(CycleCode.Ring).Invoke(10)!;
        Assert.Equal(0, Nrt.CollectCycles().Freed);
        using (var c = (JitObject)b.Get("Other")!)
        {
            using var a = (JitObject)c.Get("Other")!;
            Assert.Equal((11, 12, 10), ((int)b.Get("Value")!, (int)c.Get("Value")!, (int)a.Get("Value")!));
        }
        Assert.Equal(0, Nrt.CollectCycles().Freed);
        b.Dispose();
        Assert.Equal(3, Nrt.CollectCycles().Freed);
    });

    [Fact]
    public void A_cycle_closed_from_dotnet_through_boxes_is_freed()
    {
        Nrt.CollectCycles();
        var make = Cpu.Compile(CycleCode.Ring);
        using (var x = (JitObject)make.Invoke(1)!)
        using (var y = (JitObject)make.Invoke(5)!)
        {
            x.Set("Other", y);
            y.Set("Other", x);
            Assert.Equal(0, Nrt.CollectCycles().Freed);
        }
        // Each box's peer now points at the other's: the rest of each ring died by reference counting as the
        // fields changed, and the two peers form a cycle nothing outside holds.
        Assert.Equal(2, Nrt.CollectCycles().Freed);
    }

    [Fact]
    public void Cycles_held_through_untracked_instances_are_freed_in_one_collection() => Manually(() =>
    {
        Nrt.CollectCycles();
        Assert.Equal(CycleCode.Machines(100), Cpu.Compile(CycleCode.Machines).Invoke(100));
        // Gear and belt (a cycle through the base type) go first; the belt's holder then releases its peer,
        // whose self-loop the next round finds.
        CollectedCycles collected = Nrt.CollectCycles();
        Assert.Equal(300, collected.Freed);
        Assert.Equal(0, Nrt.TrackedInstances);
    });

    [Fact]
    public void Instances_too_big_for_the_pools_are_tracked_through_lists() => Manually(() =>
    {
        Nrt.CollectCycles();
        Assert.Equal(CycleCode.BigPairs(50), Cpu.Compile(CycleCode.BigPairs).Invoke(50));
        Assert.Equal(100, Nrt.TrackedInstances);
        Assert.Equal(100, Nrt.CollectCycles().Freed);
    });

    [Fact]
    public void With_pooling_off_instances_are_tracked_through_lists() => Manually(() =>
    {
        Nrt.CollectCycles();
        Nrt.PoolingEnabled = false;
        try
        {
            Assert.Equal(CycleCode.Pairs(300), Cpu.Compile(CycleCode.Pairs).Invoke(300));
            Assert.Equal(600, Nrt.TrackedInstances);
            Assert.Equal(600, Nrt.CollectCycles().Freed);
        }
        finally
        {
            Nrt.PoolingEnabled = true;
        }
    });

    [Fact]
    public void Classes_that_cannot_reach_themselves_and_acyclic_ones_are_never_tracked()
    {
        Nrt.CollectCycles();
        using var holder = (JitObject)Cpu.Compile(CycleCode.Holder).Invoke(3)!;
        using var tree = (JitObject)Cpu.Compile(CycleCode.Tree).Invoke(6)!;
        Assert.Equal(1, Nrt.TrackedInstances); // the holder's peer: Peer can reach itself
        Assert.False(Host.InstanceDestructors.IsTracked(new LayoutContext().Layout(typeof(PeerHolder))));
        Assert.False(Host.InstanceDestructors.IsTracked(new LayoutContext().Layout(typeof(PlainTree))));
        Assert.True(Host.InstanceDestructors.IsTracked(new LayoutContext().Layout(typeof(Gear))));
        Assert.Equal(0, Nrt.CollectCycles().Freed);
    }

    [Fact]
    public void Automatic_collection_frees_cycles_as_tracked_memory_grows_and_can_be_turned_off()
    {
        // In a fresh process: slabs that earlier tests filled and emptied would take this test's garbage without the
        // tracked memory growing, so no collection would be due.
        ChildProcess.Result run = ChildProcess.Run(typeof(AutomaticCollectionProbe), nameof(AutomaticCollectionProbe.Run), TimeSpan.FromMinutes(2));
        Assert.True(run.ExitCode == 0, run.Output);
    }

    [Fact]
    public void Collecting_from_many_threads_while_others_run_compiled_code_frees_only_garbage()
    {
        ChildProcess.Result run = ChildProcess.Run(typeof(CollectorRaceProbe), nameof(CollectorRaceProbe.Run), TimeSpan.FromMinutes(3));
        Assert.True(run.ExitCode == 0, run.Output);
    }
}

/// <summary>
/// Four threads call compiled code that makes and drops cycles and keeps one ring in a box each, reading it after
/// every call; two threads collect in a loop; the finalizer releases forgotten boxes. Every result must be .NET's,
/// every kept ring intact, and the counts balanced once all is dropped and collected.
/// </summary>
public static class CollectorRaceProbe
{
    public static int Run()
    {
        var cpu = new CpuTarget();
        var pairs = cpu.Compile(CycleCode.Pairs);
        var ring = cpu.Compile(CycleCode.Ring);
        NrtStats before = Nrt.GetAllocationStats();
        int failures = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(8));
        Task[] workers = [.. Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            for (int k = 0; !stop.IsCancellationRequested; k++)
            {
                using var kept = (JitObject)ring.Invoke(w * 100)!;
                if ((int)pairs.Invoke(500)! != CycleCode.Pairs(500))
                    Interlocked.Increment(ref failures);
                _ = ring.Invoke(k); // a box the finalizer releases
                using var next = (JitObject)kept.Get("Other")!;
                if ((int)kept.Get("Value")! != w * 100 + 1 || (int)next.Get("Value")! != w * 100 + 2)
                    Interlocked.Increment(ref failures);
            }
        }))];
        Task[] collectors = [.. Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
                Nrt.CollectCycles();
        }))];
        Task.WaitAll([.. workers, .. collectors]);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Nrt.CollectCycles();
        NrtStats after = Nrt.GetAllocationStats().Since(before);
        Console.WriteLine($"failures {failures}, {after}, tracked {Nrt.TrackedInstances}");
        return failures == 0 && after.IsBalanced && Nrt.TrackedInstances == 0 ? 0 : 1;
    }
}

/// <summary>
/// From a fresh runtime: 800,000 instances in pairs made and dropped by 20 calls. Collections run each time the tracked
/// slabs have doubled, the last one after at least half the calls, so garbage never grows past what the live and the
/// collected memory took; with automatic collection off, nothing is freed until an explicit collection.
/// </summary>
public static class AutomaticCollectionProbe
{
    public static int Run()
    {
        var pairs = new CpuTarget().Compile(CycleCode.Pairs);
        NrtStats before = Nrt.GetAllocationStats();
        for (int call = 0; call < 20; call++)
            pairs.Invoke(20_000);
        NrtStats automatic = Nrt.GetAllocationStats().Since(before);
        Nrt.CollectCycles();
        Nrt.AutomaticCycleCollection = false;
        NrtStats off = Nrt.GetAllocationStats();
        for (int call = 0; call < 20; call++)
            pairs.Invoke(20_000);
        NrtStats manual = Nrt.GetAllocationStats().Since(off);
        long freed = Nrt.CollectCycles().Freed;
        Console.WriteLine($"automatic {automatic}; off {manual}; then collected {freed}");
        bool ok = automatic.Alloc == 800_000 && automatic.Free >= 300_000
            && manual.Alloc == 800_000 && manual.Free == 0 && freed == 800_000
            && Nrt.GetAllocationStats().Since(before).IsBalanced;
        return ok ? 0 : 1;
    }
}
