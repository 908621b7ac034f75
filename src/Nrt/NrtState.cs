using System.Runtime.InteropServices;

namespace Targets.Runtime;

/// <summary>
/// The runtime's process-wide state, in native memory shared by every compiled module of every
/// target (so statistics are global, like Numba's): counters, flags, the external allocator, the
/// last error, and the lists of instances the cycle collector tracks. Compiled code reaches it through the symbol <c>nrt_state</c>. Never freed:
/// compiled code may run until the process exits.
/// </summary>
public static unsafe class NrtState
{
    // Layout (8-byte fields); NrtRuntimeIr reads the same offsets.
    public const int Alloc = 0, Free = 1, MiAlloc = 2, MiFree = 3, Flags = 4, Allocator = 5, Errors = 6, LastErrorMemInfo = 7,
        InlineAlloc = 8, InlineFree = 9, PoolKey = 10, Pools = 11, StackKey = 12, OverflowLock = 13, Overflow = 14,
        OverflowBytes = Overflow + NrtRuntimeIr.AllClasses, CycleDue = OverflowBytes + NrtRuntimeIr.AllClasses,
        CycleThreshold = CycleDue + 1, Destroy = CycleDue + 2, TrackedSlabs = CycleDue + 3, TrackedSlabCount = CycleDue + 4,
        SlabThreshold = CycleDue + 5, BriefRaising = CycleDue + 6;

    /// <summary>
    /// The lists of tracked instances (see <see cref="CycleCollector"/>): <see cref="StripeCount"/> stripes of
    /// <see cref="StripeLongs"/> fields, each on a cache line of its own: its lock, its first instance, its
    /// allocations since the last collection, and how many instances it holds.
    /// </summary>
    public const int Stripes = (BriefRaising + 8) & ~7, StripeLongs = 8, StripeCount = 64,
        StripeLock = 0, StripeHead = 1, StripeAllocations = 2, StripeLive = 3;

    public const int Fields = Stripes + StripeCount * StripeLongs;

    /// <summary>Flag bits in field <see cref="Flags"/>.</summary>
    public const long StatsOn = 1, DebugOn = 2, PoolOn = 4;

    /// <summary>The state block.</summary>
    public static long* Pointer { get; } = CreateState();

    static long* CreateState()
    {
        // Cache-line aligned, so that each stripe of tracked instances has a line of its own.
        var state = (long*)NativeMemory.AlignedAlloc(Fields * sizeof(long), 64);
        NativeMemory.Clear(state, Fields * sizeof(long));
        state[Flags] = StatsOn | PoolOn | (TargetsSettings.Current.NrtDebug ? DebugOn : 0);
        state[CycleThreshold] = CycleCollector.StripeThreshold(0);
        state[SlabThreshold] = CycleCollector.MinimumSlabs;
        return state;
    }

    public static long Read(int field) => Volatile.Read(ref Pointer[field]);

    /// <summary>Byte offsets in a per-thread pool (<c>%Pool</c> of <see cref="NrtRuntimeIr"/>): its two counters and the next pool.</summary>
    const int PoolCounters = NrtRuntimeIr.PoolCounts, PoolNext = PoolCounters + 16;

    /// <summary>How many per-thread pools exist: at most the number of threads that ever used NRT at once.</summary>
    public static int PoolCount()
    {
        int count = 0;
        for (nint pool = (nint)Read(Pools); pool != 0; pool = Volatile.Read(ref *(nint*)(pool + PoolNext)))
            count++;
        return count;
    }

    /// <summary>
    /// The bytes of free blocks the pools keep for reuse: every thread's pool (read without stopping
    /// its thread, so approximate while threads allocate) and the overflow store.
    /// </summary>
    public static long PooledBytes()
    {
        long bytes = 0;
        for (nint pool = (nint)Read(Pools); pool != 0; pool = Volatile.Read(ref *(nint*)(pool + PoolNext)))
        {
            for (int c = 0; c < NrtRuntimeIr.AllClasses; c++)
                bytes += Volatile.Read(ref *(long*)(pool + NrtRuntimeIr.PoolHeld + 8 * c));
        }
        for (int c = 0; c < NrtRuntimeIr.AllClasses; c++)
            bytes += Read(OverflowBytes + c);
        return bytes;
    }

    /// <summary>
    /// The pooled allocations and frees counted by every thread's pool (each written by its
    /// thread alone, summed here), frees first as <see cref="Nrt.GetAllocationStats"/> needs.
    /// </summary>
    public static (long Frees, long Allocs) PooledCounts()
    {
        long frees = 0, allocs = 0;
        for (nint pool = (nint)Read(Pools); pool != 0; pool = Volatile.Read(ref *(nint*)(pool + PoolNext)))
            frees += Volatile.Read(ref *(long*)(pool + PoolCounters + 8));
        for (nint pool = (nint)Read(Pools); pool != 0; pool = Volatile.Read(ref *(nint*)(pool + PoolNext)))
            allocs += Volatile.Read(ref *(long*)(pool + PoolCounters));
        return (frees, allocs);
    }
}
