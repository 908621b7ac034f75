using Targets.Runtime;

namespace Targets;

/// <summary>
/// The NRT runtime as .NET sees it: allocation statistics, the debug switch, and MemInfo
/// inspection. Process-wide: every target's compiled code shares one set of counters.
/// </summary>
public static unsafe class Nrt
{
    /// <summary>
    /// Counters since the process started. Balanced counts (<see cref="NrtStats.IsBalanced"/>)
    /// mean nothing leaked.
    /// </summary>
    /// <exception cref="InvalidOperationException">Statistics are off (<see cref="StatisticsEnabled"/>).</exception>
    public static NrtStats GetAllocationStats()
    {
        if (!StatisticsEnabled)
            throw new InvalidOperationException(
                "NRT allocation statistics are off, so there are no counts to report; set Nrt.StatisticsEnabled = true first.");
        // A MemInfo sharing its block with its data is counted once (inline_*, or in its thread's
        // pool when pooled), as both an allocation and a MemInfo. Frees are read before allocations so that a concurrent
        // alloc+free between the reads can never show more frees than allocations.
        long inlineFree = NrtState.Read(NrtState.InlineFree), free = NrtState.Read(NrtState.Free), miFree = NrtState.Read(NrtState.MiFree);
        (long pooledFrees, long pooledAllocs) = NrtState.PooledCounts();
        inlineFree += pooledFrees;
        long inlineAlloc = NrtState.Read(NrtState.InlineAlloc) + pooledAllocs, alloc = NrtState.Read(NrtState.Alloc), miAlloc = NrtState.Read(NrtState.MiAlloc);
        return new NrtStats(alloc + inlineAlloc, free + inlineFree, miAlloc + inlineAlloc, miFree + inlineFree);
    }

    /// <summary>
    /// Whether allocations are counted (one atomic add each; on by default). Turning them off and
    /// on again loses what happened in between, so compare counts taken in one on-period only.
    /// </summary>
    public static bool StatisticsEnabled
    {
        get => (NrtState.Read(NrtState.Flags) & NrtState.StatsOn) != 0;
        set => SetFlag(NrtState.StatsOn, value);
    }

    /// <summary>
    /// Debug mode (also on when the environment variable <c>TARGETS_NRT_DEBUG=1</c>): new memory is
    /// filled with 0xCB and freed memory with 0xDE, every NRT call is traced to stderr, and a
    /// decref below zero is recorded (see <see cref="TakeErrors"/>) instead of corrupting memory.
    /// </summary>
    public static bool DebugMode
    {
        get => (NrtState.Read(NrtState.Flags) & NrtState.DebugOn) != 0;
        set => SetFlag(NrtState.DebugOn, value);
    }

    /// <summary>
    /// Whether small NRT blocks (a MemInfo and its data, up to <see cref="NrtRuntimeIr.PoolLimit"/>
    /// bytes: short arrays, jit class instances) are recycled through per-thread free lists of
    /// 16-byte size classes instead of going to malloc and free each time (on by default). Each
    /// thread keeps at most <see cref="NrtRuntimeIr.PoolClassBytes"/> bytes per size class and gives
    /// its blocks back to libc when it exits. Off, every block is malloc'd and freed (what Numba does);
    /// blocks pooled before stay valid and go back to libc as they die. Statistics count NRT
    /// allocations either way.
    /// </summary>
    public static bool PoolingEnabled
    {
        get => (NrtState.Read(NrtState.Flags) & NrtState.PoolOn) != 0;
        set => SetFlag(NrtState.PoolOn, value);
    }

    static void SetFlag(long bit, bool on)
    {
        long* flags = NrtState.Pointer + NrtState.Flags;
        long current, next;
        do
        {
            current = Volatile.Read(ref *flags);
            next = on ? current | bit : current & ~bit;
        }
        while (Interlocked.CompareExchange(ref *flags, next, current) != current);
    }

    /// <summary>
    /// The number of decrefs below zero seen in debug mode since the last call, and the last
    /// MemInfo involved; resets both.
    /// </summary>
    public static (long Count, nint LastMemInfo) TakeErrors()
    {
        long count = Interlocked.Exchange(ref NrtState.Pointer[NrtState.Errors], 0);
        nint last = (nint)Interlocked.Exchange(ref NrtState.Pointer[NrtState.LastErrorMemInfo], 0);
        return (count, last);
    }

    /// <summary>
    /// Frees the jit-class instances that only reference cycles keep alive (a.Other = b; b.Other = a; both dropped)
    /// and returns what it found. It examines the instances of classes whose fields can lead back to themselves (the
    /// only ones tracked), waits for every thread to leave compiled code and box operations, and holds new ones at
    /// the gate while it runs (see <see cref="CycleCollector"/>). Cycles through arrays are not seen: they stay, as
    /// without a collector.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called from inside compiled code or a box operation (which it would wait for).</exception>
    public static CollectedCycles CollectCycles() => CycleCollector.CollectNow();

    /// <summary>
    /// Whether cycles are collected without being asked (on by default): a collection is due once the tracked
    /// instances allocated since the last one reach <see cref="CycleCollector.MinimumInterval"/> or, if more, the
    /// number that survived the last (so the work stays proportional to allocation), and it runs when the thread
    /// that finds it due leaves compiled code or a box operation — never in the middle of compiled code.
    /// </summary>
    public static bool AutomaticCycleCollection
    {
        get => CycleCollector.Automatic;
        set => CycleCollector.Automatic = value;
    }

    /// <summary>The jit-class instances the cycle collector tracks now (those of classes whose fields can lead back to themselves).</summary>
    public static long TrackedInstances => CycleCollector.Tracked;

    /// <summary>The reference count of a live MemInfo (for debugging leaks).</summary>
    public static long RefCount(nint memInfo)
    {
        if (memInfo == 0)
            throw new ArgumentException("Expected a MemInfo pointer, got null.", nameof(memInfo));
        return Volatile.Read(ref *(long*)(memInfo + NrtRuntimeIr.RefCountOffset));
    }
}
