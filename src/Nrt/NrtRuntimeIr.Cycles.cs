namespace Targets.Runtime;

/// <summary>
/// The runtime's side of the cycle collector (<see cref="CycleCollector"/>) for the tracked instances (tag bit
/// <see cref="TrackedBit"/>) that are not in the pools' tracked slabs (which the collector walks instead): those
/// made with pooling off, by an external allocator, or too big to pool. Each is linked into one of
/// <see cref="NrtState.StripeCount"/> lists, chosen by the allocating thread's stack address so that threads
/// allocating at once rarely meet on a lock; the instance's prefix keeps its stripe for the free, on whichever
/// thread. A list is doubly linked through the prefix (<c>next</c>, <c>pprev</c>: the address of the word that
/// points to the instance, the list head or the previous instance's <c>next</c>), changed only under its stripe's
/// spinlock, held for a few loads and stores and never across a call. Linking also counts the allocation: when a
/// stripe's count reaches the threshold in <see cref="NrtState.CycleThreshold"/>, the count restarts and a
/// collection is marked due (<see cref="NrtState.CycleDue"/>), which the host runs when no compiled code is running.
/// </summary>
public static partial class NrtRuntimeIr
{
    static string StateField(int field) => $"getelementptr inbounds [{NrtState.Fields} x i64], ptr @nrt_state, i64 0, i64 {field}";

    static string Cycles => $$"""
        ; The stripe a thread links its new instances into: chosen from bits of its stack address, so that threads
        ; allocating at once rarely share one, and an instance's neighbours in its list are the thread's recent
        ; allocations (whose prefixes linking and unlinking write are then likely in cache).
        define internal ptr @nrt_thread_stripe() alwaysinline {
          %sp = call ptr @llvm.stacksave.p0()
          %bits = ptrtoint ptr %sp to i64
          %low = lshr i64 %bits, 17
          %high = lshr i64 %bits, 23
          %mixed = xor i64 %low, %high
          %index = and i64 %mixed, {{NrtState.StripeCount - 1}}
          %scaled = mul i64 %index, {{NrtState.StripeLongs}}
          %field = add i64 %scaled, {{NrtState.Stripes}}
          %stripe = getelementptr inbounds [{{NrtState.Fields}} x i64], ptr @nrt_state, i64 0, i64 %field
          ret ptr %stripe
        }

        ; Links a new tracked instance into its stripe's list, counts it, and marks a collection due when the
        ; stripe's allocations since the last collection reach the threshold.
        define internal void @nrt_track(ptr %mi) noinline {
        entry:
          %stripe = call ptr @nrt_thread_stripe()
          %stripep = getelementptr inbounds i8, ptr %mi, i64 -8
          store ptr %stripe, ptr %stripep, align 8
          %headp = getelementptr inbounds i64, ptr %stripe, i64 {{NrtState.StripeHead}}
          %allocsp = getelementptr inbounds i64, ptr %stripe, i64 {{NrtState.StripeAllocations}}
          %livep = getelementptr inbounds i64, ptr %stripe, i64 {{NrtState.StripeLive}}
          %nextp = getelementptr inbounds i8, ptr %mi, i64 -{{TrackedPrefix}}
          %pprevp = getelementptr inbounds i8, ptr %mi, i64 -{{TrackedPrefix - 8}}
          call void @nrt_spin_lock(ptr %stripe)
          %first = load ptr, ptr %headp, align 8
          store ptr %first, ptr %nextp, align 8
          store ptr %headp, ptr %pprevp, align 8
          %hasfirst = icmp ne ptr %first, null
          br i1 %hasfirst, label %relink, label %linked
        relink:
          %firstpprev = getelementptr inbounds i8, ptr %first, i64 -{{TrackedPrefix - 8}}
          store ptr %nextp, ptr %firstpprev, align 8
          br label %linked
        linked:
          store ptr %mi, ptr %headp, align 8
          %live = load i64, ptr %livep, align 8
          %live1 = add i64 %live, 1
          store i64 %live1, ptr %livep, align 8
          %allocs = load i64, ptr %allocsp, align 8
          %allocs1 = add i64 %allocs, 1
          %thresholdp = {{StateField(NrtState.CycleThreshold)}}
          %threshold = load atomic i64, ptr %thresholdp monotonic, align 8
          %due = icmp sge i64 %allocs1, %threshold
          %kept = select i1 %due, i64 0, i64 %allocs1
          store i64 %kept, ptr %allocsp, align 8
          call void @nrt_spin_unlock(ptr %stripe)
          br i1 %due, label %mark, label %done
        mark:
          %duep = {{StateField(NrtState.CycleDue)}}
          store atomic i64 1, ptr %duep monotonic, align 8
          br label %done
        done:
          ret void
        }

        ; Unlinks a dying tracked instance from its stripe's list (the one its prefix names).
        define internal void @nrt_untrack(ptr %mi) noinline {
        entry:
          %stripep = getelementptr inbounds i8, ptr %mi, i64 -8
          %stripe = load ptr, ptr %stripep, align 8
          %livep = getelementptr inbounds i64, ptr %stripe, i64 {{NrtState.StripeLive}}
          %nextp = getelementptr inbounds i8, ptr %mi, i64 -{{TrackedPrefix}}
          %pprevp = getelementptr inbounds i8, ptr %mi, i64 -{{TrackedPrefix - 8}}
          call void @nrt_spin_lock(ptr %stripe)
          %next = load ptr, ptr %nextp, align 8
          %pprev = load ptr, ptr %pprevp, align 8
          store ptr %next, ptr %pprev, align 8
          %hasnext = icmp ne ptr %next, null
          br i1 %hasnext, label %relink, label %unlinked
        relink:
          %nextpprev = getelementptr inbounds i8, ptr %next, i64 -{{TrackedPrefix - 8}}
          store ptr %pprev, ptr %nextpprev, align 8
          br label %unlinked
        unlinked:
          %live = load i64, ptr %livep, align 8
          %live1 = sub i64 %live, 1
          store i64 %live1, ptr %livep, align 8
          call void @nrt_spin_unlock(ptr %stripe)
          ret void
        }

        """;
}
