namespace Targets.Runtime;

/// <summary>
/// NRT's cycle collector: frees the tracked jit-class instances (those of classes whose fields can lead back to
/// themselves, see <see cref="NrtRuntimeIr.TrackedBit"/>) that only reference cycles keep alive, by trial deletion
/// (as CPython's gc): every reference a tracked instance holds to another is subtracted from the other's count;
/// an instance whose count stays above zero is referenced from outside (a box, a local of running code, an
/// untracked instance, an array), and so is everything it reaches; the rest is garbage. The counts are then put
/// back, the garbage's references to one another cut (each was already subtracted), and every garbage instance,
/// its count now zero, destroyed as a last release destroys it — releasing what else it held.
/// <para>Guarantees: it never frees an instance anything outside the garbage holds, since it runs only while no
/// thread is inside compiled code or a host operation on instances (<see cref="CallCounter"/>: those that try wait),
/// so no count or field changes under it and every reference compiled code holds is in a count. References it
/// cannot see only keep instances alive. Allocation statistics balance after it, as after any release.</para>
/// </summary>
public static unsafe class CycleCollector
{
    /// <summary>
    /// Listed tracked allocations (those outside the pools' slabs) between automatic collections: at least this many,
    /// else as many as the lists held after the last.
    /// </summary>
    public const long MinimumInterval = 100_000;

    /// <summary>
    /// New slabs of tracked instances (<see cref="NrtRuntimeIr.SlabBytes"/> each, made only when the pools have no free block
    /// of the class) between automatic collections: at least this many (1 MiB), else as many as there were before.
    /// </summary>
    public const long MinimumSlabs = 64;

    /// <summary>While a collection waits for threads to leave compiled code, and runs.</summary>
    static volatile bool stopping;

    static readonly Lock Collecting = new();

    /// <summary>Whether a collection is stopping threads at the gate, or running.</summary>
    public static bool Stopping => stopping;

    /// <summary>Whether the runtime marked a collection due (tracked allocations reached the threshold).</summary>
    public static bool Due => Volatile.Read(ref NrtState.Pointer[NrtState.CycleDue]) != 0;

    /// <summary>The per-stripe threshold for an interval that follows a collection <paramref name="survivors"/> tracked instances survived.</summary>
    public static long StripeThreshold(long survivors) =>
        Math.Max(MinimumInterval, survivors) / NrtState.StripeCount;

    /// <summary>Whether collections run automatically (see <see cref="Nrt.AutomaticCycleCollection"/>).</summary>
    public static bool Automatic
    {
        get => Volatile.Read(ref automatic);
        set
        {
            lock (Collecting)
            {
                Volatile.Write(ref automatic, value);
                SetThresholds();
                if (!value)
                    Volatile.Write(ref NrtState.Pointer[NrtState.CycleDue], 0);
            }
        }
    }

    static bool automatic = true;

    /// <summary>How many instances the stripes' lists held after the last collection.</summary>
    static long listedSurvivors;

    /// <summary>The runtime's thresholds for the next automatic collection (none when off); the caller holds <see cref="Collecting"/>.</summary>
    static void SetThresholds()
    {
        long slabs = Volatile.Read(ref NrtState.Pointer[NrtState.TrackedSlabCount]);
        Volatile.Write(ref NrtState.Pointer[NrtState.CycleThreshold], automatic ? StripeThreshold(listedSurvivors) : long.MaxValue);
        Volatile.Write(ref NrtState.Pointer[NrtState.SlabThreshold], automatic ? slabs + Math.Max(MinimumSlabs, slabs) : long.MaxValue);
    }

    /// <summary>Tracked instances alive now (exact while no thread is allocating or freeing one).</summary>
    public static long Tracked
    {
        get
        {
            long live = Listed;
            ForEachInSlabs(_ => live++);
            return live;
        }
    }

    /// <summary>Tracked instances in the stripes' lists.</summary>
    static long Listed
    {
        get
        {
            long live = 0;
            for (int s = 0; s < NrtState.StripeCount; s++)
                live += Volatile.Read(ref Stripe(s)[NrtState.StripeLive]);
            return live;
        }
    }

    /// <summary>Runs the collection the runtime marked due, unless automatic collection is off or another is running.</summary>
    internal static void CollectDue()
    {
        if (!Automatic || !Collecting.TryEnter())
            return;
        try
        {
            if (Due)
                Collect();
        }
        finally
        {
            Collecting.Exit();
        }
    }

    /// <summary>Collects now: the number of tracked instances freed as garbage.</summary>
    /// <exception cref="InvalidOperationException">The calling thread is inside compiled code or a host operation on instances.</exception>
    public static CollectedCycles CollectNow()
    {
        if (CallCounter.Current.Inside)
            throw new InvalidOperationException("Nrt.CollectCycles cannot run inside a call into compiled code or a box operation: it waits for every thread to leave them.");
        lock (Collecting)
            return Collect();
    }

    /// <summary>Stops every thread at the gate, collects, and lets them go (the caller holds <see cref="Collecting"/>).</summary>
    static CollectedCycles Collect()
    {
        nint destroy = (nint)Volatile.Read(ref NrtState.Pointer[NrtState.Destroy]);
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        Volatile.Write(ref NrtState.Pointer[NrtState.CycleDue], 0);
        _ = CallCounter.Current; // the stack limits of this thread registered, as the runtime's calls need
        stopping = true;
        try
        {
            // Every thread that has not counted itself in yet now reads 'stopping' when it does; wait for those inside.
            Interlocked.MemoryBarrierProcessWide();
            IReadOnlyList<(CallCounter Thread, long Enters)> inside = CallCounter.InsideCalls();
            var spin = new SpinWait();
            while (!inside.All(t => t.Thread.HasLeft(t.Enters)))
                spin.SpinOnce();
            long examined = -1, freed = 0;
            // Destroying garbage can release the last reference to an untracked instance that held a tracked one
            // (whose count then no longer keeps it): another round finds what that left unreachable.
            for (long round = 1; destroy != 0 && round > 0; freed += round)
            {
                int tracked = Snapshot();
                examined = examined < 0 ? tracked : examined;
                round = FreeGarbage(tracked, (delegate* unmanaged<nint, void>)destroy);
            }
            examined = Math.Max(examined, 0);
            listedSurvivors = Listed;
            for (int s = 0; s < NrtState.StripeCount; s++)
                Stripe(s)[NrtState.StripeAllocations] = 0;
            SetThresholds();
            return new CollectedCycles(examined, freed, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }
        finally
        {
            stopping = false;
        }
    }

    /// <summary>Bit 62 of a count marks an instance reachable from outside while the collection runs (no count comes near it).</summary>
    const long Reachable = 1L << 62;

    /// <summary>The tracked instances of this collection (the first <see cref="Snapshot"/> entries), and the marking stack; reused.</summary>
    static nint[] instances = new nint[1024], pending = new nint[1024];

    /// <summary>
    /// Copies every tracked instance into <see cref="instances"/> (nothing may allocate or free one meanwhile) and, in the
    /// same pass, subtracts every reference it holds to a tracked instance from that one's count; how many there are.
    /// </summary>
    static int Snapshot()
    {
        int count = 0;
        ForEachTracked(x =>
        {
            if (count == instances.Length)
                Array.Resize(ref instances, 2 * count);
            instances[count++] = x;
            long* references = References(x, out nint data);
            for (long k = 1; k <= references[0]; k++)
            {
                nint child = *(nint*)(data + (nint)references[k]);
                if (child != 0 && IsTracked(child))
                    *(long*)child -= 1;
            }
        });
        return count;
    }

    /// <summary>
    /// Finds the garbage among the <paramref name="count"/> tracked instances of the snapshot (whose references to one
    /// another <see cref="Snapshot"/> subtracted), cuts its references to itself, and destroys it; how many it destroyed.
    /// Plain loops over the snapshot: a collection's pause is a few passes over the tracked instances and their fields.
    /// </summary>
    static int FreeGarbage(int count, delegate* unmanaged<nint, void> destroy)
    {
        nint[] all = instances;
        // 1. What has a count left is referenced from outside: mark it and all it reaches.
        int top = 0;
        for (int i = 0; i < count; i++)
        {
            if (*(long*)all[i] > 0)
                Mark(all[i], ref top);
        }
        while (top > 0)
        {
            long* references = References(pending[--top], out nint data);
            for (long k = 1; k <= references[0]; k++)
            {
                nint child = *(nint*)(data + (nint)references[k]);
                if (child != 0 && IsTracked(child))
                    Mark(child, ref top);
            }
        }

        // 2. Put the counts back, except for references from garbage to garbage, which are cut (their count is already
        //    gone), and clear the marks; the garbage, whose count is now zero, moves to the front of the snapshot.
        int garbage = 0;
        for (int i = 0; i < count; i++)
        {
            nint x = all[i];
            long* references = References(x, out nint data);
            for (long k = 1; k <= references[0]; k++)
            {
                nint* slot = (nint*)(data + (nint)references[k]);
                if (*slot == 0 || !IsTracked(*slot))
                    continue;
                if ((*(long*)*slot & Reachable) != 0)
                    *(long*)*slot += 1;
                else
                    *slot = 0; // x is garbage too: nothing live references garbage
            }
        }
        for (int i = 0; i < count; i++)
        {
            nint x = all[i];
            if ((*(long*)x & Reachable) != 0)
                *(long*)x &= ~Reachable;
            else
                all[garbage++] = x;
        }

        // 3. Destroy the garbage: each destructor releases what the instance still holds (live instances, arrays,
        //    untracked instances), and unlinks it from its list or clears its tag.
        for (int i = 0; i < garbage; i++)
            destroy(all[i]);
        return garbage;
    }

    static void Mark(nint x, ref int top)
    {
        if ((*(long*)x & Reachable) != 0)
            return;
        *(long*)x |= Reachable;
        if (top == pending.Length)
            Array.Resize(ref pending, 2 * top);
        pending[top++] = x;
    }

    /// <summary>The references table of a tracked instance's class (<c>{ count, offsets… }</c>), and where its data starts.</summary>
    static long* References(nint x, out nint data)
    {
        nint record = *(nint*)(x + 8) & ~(nint)NrtRuntimeIr.TagBits;
        data = x + NrtRuntimeIr.HeaderSize;
        return *(long**)(record + NrtRuntimeIr.ClassRecordReferences);
    }

    /// <summary>The fields of stripe <paramref name="s"/> in the state block.</summary>
    static long* Stripe(int s) => NrtState.Pointer + NrtState.Stripes + s * NrtState.StripeLongs;

    /// <summary>Calls <paramref name="visit"/> on every tracked instance (nothing may allocate or free one meanwhile).</summary>
    static void ForEachTracked(Action<nint> visit)
    {
        for (int s = 0; s < NrtState.StripeCount; s++)
        {
            for (nint x = (nint)Stripe(s)[NrtState.StripeHead]; x != 0; x = *(nint*)(x - NrtRuntimeIr.TrackedPrefix))
                visit(x);
        }
        ForEachInSlabs(visit);
    }

    /// <summary>
    /// Calls <paramref name="visit"/> on every live instance in the pools' tracked slabs (registry nodes <c>{ next, slab,
    /// bytes }</c>): a block whose tag is not zero (slabs are zeroed when made, tags cleared when instances die).
    /// </summary>
    static void ForEachInSlabs(Action<nint> visit)
    {
        for (nint node = (nint)Volatile.Read(ref NrtState.Pointer[NrtState.TrackedSlabs]); node != 0; node = *(nint*)node)
        {
            nint slab = *(nint*)(node + 8);
            long bytes = *(long*)(node + 16);
            for (long at = 0; at + bytes <= NrtRuntimeIr.SlabBytes; at += bytes)
            {
                if (*(nint*)(slab + (nint)at + 8) != 0)
                    visit(slab + (nint)at);
            }
        }
    }

    /// <summary>An instance (tag bit 0 clear) the collector tracks (tag bit 3).</summary>
    static bool IsTracked(nint memInfo)
    {
        nint tag = *(nint*)(memInfo + 8);
        return (tag & 1) == 0 && (tag & NrtRuntimeIr.TrackedBit) != 0;
    }
}

/// <summary>What one cycle collection did: the tracked instances it examined, those it freed as garbage, and how long threads were stopped.</summary>
public readonly record struct CollectedCycles(long Examined, long Freed, TimeSpan Pause);
