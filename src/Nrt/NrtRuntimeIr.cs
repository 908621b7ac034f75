namespace Targets.Runtime;

/// <summary>
/// The NRT runtime as LLVM IR text, added once to every JIT (and linkable into any module).
/// Guarantees: atomic reference counts (increment relaxed; decrement release, then acquire before
/// destruction, as C++ shared_ptr); a destructor runs exactly once; destruction is iterative (a
/// destructor hands dead children to a worklist instead of recursing, so a 10,000,000-node chain
/// cannot overflow the stack); allocation failure returns null to the caller, never aborts;
/// counters, debug fills (0xCB new, 0xDE freed), tracing and the decref-below-zero check are
/// switched by flags in <see cref="NrtState"/> at run time, not compile time.
/// <para>MemInfo: <c>{ i64 refct, ptr dtor, ptr dtor_info, ptr data, i64 size, ptr allocator }</c>
/// (48 bytes; data of NRT-owned allocations follows it in the same block). A destructor is
/// <c>void dtor(ptr data, i64 size, ptr info, ptr worklist)</c>; it releases children with
/// <c>nrt_release_deferred(child, worklist)</c>.</para>
/// <para>External symbols it needs: <c>nrt_state</c> (the <see cref="NrtState"/> block),
/// <c>nrt_trace(i32 op, ptr meminfo, i64 refct)</c> (debug tracing), <c>malloc</c>, <c>calloc</c>, <c>free</c>, <c>pthread_key_create</c>/<c>_delete</c>/<c>getspecific</c>/<c>setspecific</c>.</para>
/// </summary>
public static class NrtRuntimeIr
{
    /// <summary>Size of a MemInfo header.</summary>
    public const int MemInfoSize = 48;

    /// <summary>Field offsets in a MemInfo.</summary>
    public const int RefCountOffset = 0, DtorOffset = 8, DtorInfoOffset = 16, DataOffset = 24, SizeOffset = 32, AllocatorOffset = 40;

    /// <summary>Blocks (MemInfo plus inline data) up to this size come from the per-thread pool.</summary>
    public const int PoolLimit = 256;

    /// <summary>Size classes of the pool (16-byte steps up to <see cref="PoolLimit"/>).</summary>
    const int PoolClasses = PoolLimit / 16;

    /// <summary>At most this many bytes per size class stay pooled in one thread (beyond, freed blocks go back to libc).</summary>
    public const long PoolClassBytes = 16L << 20;

    /// <summary>Trace operation codes passed to <c>nrt_trace</c>.</summary>
    public enum TraceOp { Alloc = 0, Incref = 1, Decref = 2, DecrefBelowZero = 3, Destroy = 4 }

    /// <summary>Names of the runtime's entry points.</summary>
    public const string Allocate = "nrt_allocate", Deallocate = "nrt_deallocate", MemInfoAlloc = "nrt_meminfo_alloc",
        MemInfoAllocDtor = "nrt_meminfo_alloc_dtor", MemInfoAllocZeroed = "nrt_meminfo_alloc_zeroed", MemInfoAllocAligned = "nrt_meminfo_alloc_aligned", MemInfoNew = "nrt_meminfo_new",
        Incref = "nrt_incref", Decref = "nrt_decref", ReleaseDeferred = "nrt_release_deferred", CallDtor = "nrt_meminfo_call_dtor",
        State = "nrt_state", Trace = "nrt_trace", AdoptArray = "nrt_adopt_array", ReleaseElements = "nrt_release_elements";

    public static string Text { get; } = $$"""
        ; Targets NRT runtime. State fields: 0 alloc, 1 free, 2 mi_alloc, 3 mi_free, 4 flags (1 stats, 2 debug),
        ; 5 external allocator { ptr malloc(i64, ptr), ptr free(ptr, ptr), ptr opaque }, 6 errors, 7 last error MemInfo,
        ; 8 inline_alloc, 9 inline_free: a MemInfo whose data shares its block is one allocation and one
        ; MemInfo, counted with one atomic add (field 8/9 count towards both), marked by bit 0 of its
        ; allocator field (allocator tables are pointer-aligned, so the bit is free); 10 the pthread key of the
        ; per-thread block pool, plus one (0: not created yet); 11 the registry of pools (a list, see %Pool).
        ; Pool: a block of at most {{PoolLimit}} bytes (MemInfo and inline data) comes from the calling thread's free list
        ; of its size class (16-byte steps) when pooling is on (flag 4) and no external allocator is set, and
        ; is marked by bit 1 of the allocator field; freed, it joins the freeing thread's list unless that
        ; class already holds {{PoolClassBytes}} bytes. A thread's lists are freed when it exits.
        %MemInfo = type { i64, ptr, ptr, ptr, i64, ptr }
        %Allocator = type { ptr, ptr, ptr }

        @nrt_state = external global [{{NrtState.Fields}} x i64]

        declare ptr @malloc(i64)
        declare void @free(ptr)
        declare void @llvm.memset.p0.i64(ptr, i8, i64, i1)
        declare void @nrt_trace(i32, ptr, i64)
        declare ptr @calloc(i64, i64)
        declare i32 @pthread_key_create(ptr, ptr)
        declare i32 @pthread_key_delete(i32)
        declare ptr @pthread_getspecific(i32)
        declare i32 @pthread_setspecific(i32, ptr)

        ; A thread's pool: the head of each size class's free list, the bytes it holds, its thread's counts of
        ; pooled allocations and frees (written by that thread alone, so without atomic read-modify-write;
        ; Nrt.GetAllocationStats sums them), the next pool of the registry (state field 11), and whether a
        ; thread owns it. Pools are never freed: an exiting thread empties its pool for the next thread.
        %Pool = type { [{{PoolClasses}} x ptr], [{{PoolClasses}} x i64], [2 x i64], ptr, i64 }

        ; The pool key, created by the first thread that needs it (a race is settled by compare-exchange).
        define internal i32 @nrt_pool_key() {
        entry:
          %kp = getelementptr inbounds [{{NrtState.Fields}} x i64], ptr @nrt_state, i64 0, i64 10
          %stored = load atomic i64, ptr %kp acquire, align 8
          %have = icmp ne i64 %stored, 0
          br i1 %have, label %known, label %create
        known:
          %k = sub i64 %stored, 1
          %k32 = trunc i64 %k to i32
          ret i32 %k32
        create:
          %slot = alloca i32, align 4
          %failed = call i32 @pthread_key_create(ptr %slot, ptr @nrt_pool_free)
          %ok = icmp eq i32 %failed, 0
          br i1 %ok, label %publish, label %none
        publish:
          %new = load i32, ptr %slot, align 4
          %new64 = zext i32 %new to i64
          %plus = add i64 %new64, 1
          %pair = cmpxchg ptr %kp, i64 0, i64 %plus acq_rel acquire
          %won = extractvalue { i64, i1 } %pair, 1
          br i1 %won, label %mine, label %lost
        mine:
          ret i32 %new
        lost:
          %x = call i32 @pthread_key_delete(i32 %new)
          %winner = extractvalue { i64, i1 } %pair, 0
          %w = sub i64 %winner, 1
          %w32 = trunc i64 %w to i32
          ret i32 %w32
        none:
          ret i32 -1
        }

        ; The calling thread's pool, made on first use; null when it cannot be made (then nothing is pooled).
        define internal ptr @nrt_pool() alwaysinline {
        entry:
          %kp = getelementptr inbounds [{{NrtState.Fields}} x i64], ptr @nrt_state, i64 0, i64 10
          %stored = load atomic i64, ptr %kp monotonic, align 8
          %have = icmp ne i64 %stored, 0
          br i1 %have, label %lookup, label %slow
        lookup:
          %k = sub i64 %stored, 1
          %k32 = trunc i64 %k to i32
          %pool = call ptr @pthread_getspecific(i32 %k32)
          %made = icmp ne ptr %pool, null
          br i1 %made, label %done, label %slow
        done:
          ret ptr %pool
        slow:
          %p = call ptr @nrt_pool_create()
          ret ptr %p
        }

        define internal ptr @nrt_pool_create() noinline {
        entry:
          %key = call i32 @nrt_pool_key()
          %nokey = icmp eq i32 %key, -1
          br i1 %nokey, label %fail, label %search
        search:
          %headp = getelementptr inbounds [{{NrtState.Fields}} x i64], ptr @nrt_state, i64 0, i64 11
          %first = load atomic ptr, ptr %headp acquire, align 8
          br label %walk
        walk:
          %cur = phi ptr [ %first, %search ], [ %next, %taken ]
          %end = icmp eq ptr %cur, null
          br i1 %end, label %make, label %try
        try:
          %ownedp = getelementptr inbounds %Pool, ptr %cur, i32 0, i32 4
          %claim = cmpxchg ptr %ownedp, i64 0, i64 1 acq_rel monotonic
          %won = extractvalue { i64, i1 } %claim, 1
          br i1 %won, label %set, label %taken
        taken:
          %nextp = getelementptr inbounds %Pool, ptr %cur, i32 0, i32 3
          %next = load ptr, ptr %nextp, align 8
          br label %walk
        make:
          %fresh = call ptr @calloc(i64 1, i64 {{PoolClasses * 16 + 32}})
          %ok = icmp ne ptr %fresh, null
          br i1 %ok, label %publish, label %fail
        publish:
          %mine = getelementptr inbounds %Pool, ptr %fresh, i32 0, i32 4
          store i64 1, ptr %mine, align 8
          %link = getelementptr inbounds %Pool, ptr %fresh, i32 0, i32 3
          br label %push
        push:
          %old = load atomic ptr, ptr %headp monotonic, align 8
          store ptr %old, ptr %link, align 8
          %swap = cmpxchg ptr %headp, ptr %old, ptr %fresh acq_rel monotonic
          %pushed = extractvalue { ptr, i1 } %swap, 1
          br i1 %pushed, label %set, label %push
        set:
          %pool = phi ptr [ %cur, %try ], [ %fresh, %push ]
          %r = call i32 @pthread_setspecific(i32 %key, ptr %pool)
          %set.ok = icmp eq i32 %r, 0
          br i1 %set.ok, label %done, label %undo
        undo:
          %ownedp2 = getelementptr inbounds %Pool, ptr %pool, i32 0, i32 4
          store atomic i64 0, ptr %ownedp2 release, align 8
          br label %fail
        done:
          ret ptr %pool
        fail:
          ret ptr null
        }

        ; The key's destructor: a thread that exits gives its pooled blocks back to libc and its pool (with
        ; its counts) to the next thread that needs one.
        define internal void @nrt_pool_free(ptr %pool) {
        entry:
          br label %class
        class:
          %c = phi i64 [ 0, %entry ], [ %c.next, %class.done ]
          %hp = getelementptr inbounds %Pool, ptr %pool, i32 0, i32 0, i64 %c
          %first = load ptr, ptr %hp, align 8
          store ptr null, ptr %hp, align 8
          %bp = getelementptr inbounds %Pool, ptr %pool, i32 0, i32 1, i64 %c
          store i64 0, ptr %bp, align 8
          br label %walk
        walk:
          %cur = phi ptr [ %first, %class ], [ %next, %release ]
          %end = icmp eq ptr %cur, null
          br i1 %end, label %class.done, label %release
        release:
          %next = load ptr, ptr %cur, align 8
          call void @free(ptr %cur)
          br label %walk
        class.done:
          %c.next = add i64 %c, 1
          %more = icmp ult i64 %c.next, {{PoolClasses}}
          br i1 %more, label %class, label %done
        done:
          %ownedp = getelementptr inbounds %Pool, ptr %pool, i32 0, i32 4
          store atomic i64 0, ptr %ownedp release, align 8
          ret void
        }

        ; Counts a pooled allocation (%which 0) or free (1) in the thread's own pool, or globally without one.
        define internal void @nrt_pool_count(ptr %pool, i32 %which) alwaysinline {
        entry:
          %flags = call i64 @nrt_flags()
          %on = and i64 %flags, 1
          %yes = icmp ne i64 %on, 0
          br i1 %yes, label %where, label %done
        where:
          %index = sext i32 %which to i64
          %has = icmp ne ptr %pool, null
          br i1 %has, label %own, label %global
        own:
          %p = getelementptr inbounds %Pool, ptr %pool, i64 0, i32 2, i64 %index
          %n = load atomic i64, ptr %p monotonic, align 8
          %n1 = add i64 %n, 1
          store atomic i64 %n1, ptr %p release, align 8
          br label %done
        global:
          %g = add i64 %index, 8
          call void @nrt_count(i64 %g)
          br label %done
        done:
          ret void
        }

        ; Whether a block of %total bytes comes from the pool (pooling on, libc allocator, small enough).
        define internal i1 @nrt_poolable(i64 %total) alwaysinline {
          %flags = call i64 @nrt_flags()
          %on = and i64 %flags, 4
          %pool.on = icmp ne i64 %on, 0
          %ap = getelementptr inbounds [{{NrtState.Fields}} x i64], ptr @nrt_state, i64 0, i64 5
          %allocator = load atomic ptr, ptr %ap monotonic, align 8
          %libc = icmp eq ptr %allocator, null
          %small = icmp ule i64 %total, {{PoolLimit}}
          %a = and i1 %pool.on, %libc
          %b = and i1 %a, %small
          ret i1 %b
        }

        ; A block of %total (1..{{PoolLimit}}) bytes: the pool's, else malloc'd at its class's size.
        define internal ptr @nrt_pool_take(ptr %pool, i64 %total) alwaysinline {
        entry:
          %t1 = sub i64 %total, 1
          %c = lshr i64 %t1, 4
          %c1 = add i64 %c, 1
          %bytes = shl i64 %c1, 4
          %has = icmp ne ptr %pool, null
          br i1 %has, label %look, label %fresh
        look:
          %hp = getelementptr inbounds %Pool, ptr %pool, i32 0, i32 0, i64 %c
          %head = load ptr, ptr %hp, align 8
          %hit = icmp ne ptr %head, null
          br i1 %hit, label %pop, label %fresh
        pop:
          %next = load ptr, ptr %head, align 8
          store ptr %next, ptr %hp, align 8
          %bp = getelementptr inbounds %Pool, ptr %pool, i32 0, i32 1, i64 %c
          %held = load i64, ptr %bp, align 8
          %less = sub i64 %held, %bytes
          store i64 %less, ptr %bp, align 8
          ret ptr %head
        fresh:
          %m = call ptr @malloc(i64 %bytes)
          ret ptr %m
        }

        ; Gives a pooled block of %total bytes back: to this thread's pool, or to libc when pooling is off
        ; or the class is full.
        define internal void @nrt_pool_give(ptr %pool, ptr %block, i64 %total) alwaysinline {
        entry:
          %flags = call i64 @nrt_flags()
          %on = and i64 %flags, 4
          %pool.on = icmp ne i64 %on, 0
          br i1 %pool.on, label %find, label %libc
        find:
          %has = icmp ne ptr %pool, null
          br i1 %has, label %room, label %libc
        room:
          %t1 = sub i64 %total, 1
          %c = lshr i64 %t1, 4
          %c1 = add i64 %c, 1
          %bytes = shl i64 %c1, 4
          %bp = getelementptr inbounds %Pool, ptr %pool, i32 0, i32 1, i64 %c
          %held = load i64, ptr %bp, align 8
          %more = add i64 %held, %bytes
          %full = icmp ugt i64 %more, {{PoolClassBytes}}
          br i1 %full, label %libc, label %push
        push:
          %hp = getelementptr inbounds %Pool, ptr %pool, i32 0, i32 0, i64 %c
          %head = load ptr, ptr %hp, align 8
          store ptr %head, ptr %block, align 8
          store ptr %block, ptr %hp, align 8
          store i64 %more, ptr %bp, align 8
          ret void
        libc:
          call void @free(ptr %block)
          ret void
        }

        define internal i64 @nrt_flags() alwaysinline {
          %p = getelementptr inbounds [{{NrtState.Fields}} x i64], ptr @nrt_state, i64 0, i64 4
          %f = load atomic i64, ptr %p monotonic, align 8
          ret i64 %f
        }

        define internal void @nrt_count(i64 %field) alwaysinline {
        entry:
          %flags = call i64 @nrt_flags()
          %on = and i64 %flags, 1
          %yes = icmp ne i64 %on, 0
          br i1 %yes, label %count, label %done
        count:
          %p = getelementptr inbounds [{{NrtState.Fields}} x i64], ptr @nrt_state, i64 0, i64 %field
          %old = atomicrmw add ptr %p, i64 1 monotonic
          br label %done
        done:
          ret void
        }

        define internal void @nrt_debug_trace(i32 %op, ptr %mi) alwaysinline {
        entry:
          %flags = call i64 @nrt_flags()
          %on = and i64 %flags, 2
          %yes = icmp ne i64 %on, 0
          br i1 %yes, label %trace, label %done
        trace:
          %refct = load atomic i64, ptr %mi monotonic, align 8
          call void @nrt_trace(i32 %op, ptr %mi, i64 %refct)
          br label %done
        done:
          ret void
        }

        define internal void @nrt_debug_fill(ptr %data, i64 %size, i8 %pattern) alwaysinline {
        entry:
          %flags = call i64 @nrt_flags()
          %on = and i64 %flags, 2
          %yes = icmp ne i64 %on, 0
          br i1 %yes, label %fill, label %done
        fill:
          call void @llvm.memset.p0.i64(ptr %data, i8 %pattern, i64 %size, i1 false)
          br label %done
        done:
          ret void
        }

        define ptr @nrt_allocate(i64 %size) {
        entry:
          %p = call ptr @nrt_allocate_raw(i64 %size)
          %ok = icmp ne ptr %p, null
          br i1 %ok, label %counted, label %done
        counted:
          call void @nrt_count(i64 0)
          br label %done
        done:
          ret ptr %p
        }

        define internal ptr @nrt_allocate_raw(i64 %size) alwaysinline {
        entry:
          %ap = getelementptr inbounds [{{NrtState.Fields}} x i64], ptr @nrt_state, i64 0, i64 5
          %allocator = load atomic ptr, ptr %ap monotonic, align 8
          %external = icmp ne ptr %allocator, null
          br i1 %external, label %ext, label %libc
        ext:
          %malloc = load ptr, ptr %allocator, align 8
          %opaquep = getelementptr inbounds %Allocator, ptr %allocator, i32 0, i32 2
          %opaque = load ptr, ptr %opaquep, align 8
          %pe = call ptr %malloc(i64 %size, ptr %opaque)
          br label %got
        libc:
          %pl = call ptr @malloc(i64 %size)
          br label %got
        got:
          %p = phi ptr [ %pe, %ext ], [ %pl, %libc ]
          ret ptr %p
        }

        define void @nrt_deallocate(ptr %p, ptr %allocator) {
          call void @nrt_deallocate_raw(ptr %p, ptr %allocator)
          call void @nrt_count(i64 1)
          ret void
        }

        define internal void @nrt_deallocate_raw(ptr %p, ptr %allocator) alwaysinline {
        entry:
          %external = icmp ne ptr %allocator, null
          br i1 %external, label %ext, label %libc
        ext:
          %freep = getelementptr inbounds %Allocator, ptr %allocator, i32 0, i32 1
          %freefn = load ptr, ptr %freep, align 8
          %opaquep = getelementptr inbounds %Allocator, ptr %allocator, i32 0, i32 2
          %opaque = load ptr, ptr %opaquep, align 8
          call void %freefn(ptr %p, ptr %opaque)
          br label %done
        libc:
          call void @free(ptr %p)
          br label %done
        done:
          ret void
        }

        ; %inline: the data shares the MemInfo's block (counted once, as inline_alloc).
        ; %pooled: the block came from the pool (see nrt_pool_take).
        define internal ptr @nrt_meminfo_init(ptr %mi, ptr %data, i64 %size, ptr %dtor, ptr %info, i1 %inline, i1 %pooled) alwaysinline {
          %ap = getelementptr inbounds [{{NrtState.Fields}} x i64], ptr @nrt_state, i64 0, i64 5
          %table = load atomic ptr, ptr %ap monotonic, align 8
          %inlinebit = zext i1 %inline to i64
          %poolbit = select i1 %pooled, i64 2, i64 0
          %mark = or i64 %inlinebit, %poolbit
          %allocator = getelementptr i8, ptr %table, i64 %mark
          store i64 1, ptr %mi, align 8
          %f1 = getelementptr inbounds %MemInfo, ptr %mi, i32 0, i32 1
          store ptr %dtor, ptr %f1, align 8
          %f2 = getelementptr inbounds %MemInfo, ptr %mi, i32 0, i32 2
          store ptr %info, ptr %f2, align 8
          %f3 = getelementptr inbounds %MemInfo, ptr %mi, i32 0, i32 3
          store ptr %data, ptr %f3, align 8
          %f4 = getelementptr inbounds %MemInfo, ptr %mi, i32 0, i32 4
          store i64 %size, ptr %f4, align 8
          %f5 = getelementptr inbounds %MemInfo, ptr %mi, i32 0, i32 5
          store ptr %allocator, ptr %f5, align 8
          br i1 %pooled, label %traced, label %count
        count:
          %which = select i1 %inline, i64 8, i64 2
          call void @nrt_count(i64 %which)
          br label %traced
        traced:
          call void @nrt_debug_trace(i32 0, ptr %mi)
          ret ptr %mi
        }

        ; One block: the MemInfo, then size bytes of data, zeroed or (debug) filled 0xCB. Null on failure.
        define internal ptr @nrt_meminfo_alloc_block(i64 %size, ptr %dtor, i1 %zeroed) alwaysinline {
        entry:
          %total = add i64 %size, {{MemInfoSize}}
          %pooled = call i1 @nrt_poolable(i64 %total)
          br i1 %pooled, label %pool, label %raw
        pool:
          %thepool = call ptr @nrt_pool()
          %pb = call ptr @nrt_pool_take(ptr %thepool, i64 %total)
          br label %got
        raw:
          %rb = call ptr @nrt_allocate_raw(i64 %total)
          br label %got
        got:
          %block = phi ptr [ %pb, %pool ], [ %rb, %raw ]
          %counter = phi ptr [ %thepool, %pool ], [ null, %raw ]
          %ok = icmp ne ptr %block, null
          br i1 %ok, label %init, label %failed
        init:
          %data = getelementptr inbounds i8, ptr %block, i64 {{MemInfoSize}}
          br i1 %zeroed, label %zero, label %pattern
        zero:
          call void @llvm.memset.p0.i64(ptr %data, i8 0, i64 %size, i1 false)
          br label %ready
        pattern:
          call void @nrt_debug_fill(ptr %data, i64 %size, i8 -53)
          br label %ready
        ready:
          %mi = call ptr @nrt_meminfo_init(ptr %block, ptr %data, i64 %size, ptr %dtor, ptr null, i1 true, i1 %pooled)
          br i1 %pooled, label %count.pooled, label %made
        count.pooled:
          call void @nrt_pool_count(ptr %counter, i32 0)
          br label %made
        made:
          ret ptr %mi
        failed:
          ret ptr null
        }

        ; Contents undefined (0xCB in debug mode), as malloc.
        define ptr @nrt_meminfo_alloc(i64 %size) {
          %mi = call ptr @nrt_meminfo_alloc_block(i64 %size, ptr null, i1 false)
          ret ptr %mi
        }

        define ptr @nrt_meminfo_alloc_dtor(i64 %size, ptr %dtor) {
          %mi = call ptr @nrt_meminfo_alloc_block(i64 %size, ptr %dtor, i1 false)
          ret ptr %mi
        }

        ; Zeroed whatever the mode: .NET arrays and jit class instances start as zeros.
        define ptr @nrt_meminfo_alloc_zeroed(i64 %size, ptr %dtor) {
          %mi = call ptr @nrt_meminfo_alloc_block(i64 %size, ptr %dtor, i1 true)
          ret ptr %mi
        }

        ; As nrt_meminfo_alloc with the data aligned to %align (a power of two).
        define ptr @nrt_meminfo_alloc_aligned(i64 %size, i64 %align) {
        entry:
          %s1 = add i64 %size, {{MemInfoSize}}
          %total = add i64 %s1, %align
          %block = call ptr @nrt_allocate_raw(i64 %total)
          %ok = icmp ne ptr %block, null
          br i1 %ok, label %init, label %failed
        init:
          %base = ptrtoint ptr %block to i64
          %start = add i64 %base, {{MemInfoSize}}
          %mask = sub i64 %align, 1
          %up = add i64 %start, %mask
          %notmask = xor i64 %mask, -1
          %aligned = and i64 %up, %notmask
          %offset = sub i64 %aligned, %base
          %data = getelementptr inbounds i8, ptr %block, i64 %offset
          call void @nrt_debug_fill(ptr %data, i64 %size, i8 -53)
          %mi = call ptr @nrt_meminfo_init(ptr %block, ptr %data, i64 %size, ptr null, ptr null, i1 true, i1 false)
          ret ptr %mi
        failed:
          ret ptr null
        }

        ; A MemInfo for memory the runtime does not own: the destructor releases it.
        define ptr @nrt_meminfo_new(ptr %data, i64 %size, ptr %dtor, ptr %info) {
        entry:
          %block = call ptr @nrt_allocate(i64 {{MemInfoSize}})
          %ok = icmp ne ptr %block, null
          br i1 %ok, label %init, label %failed
        init:
          %mi = call ptr @nrt_meminfo_init(ptr %block, ptr %data, i64 %size, ptr %dtor, ptr %info, i1 false, i1 false)
          ret ptr %mi
        failed:
          ret ptr null
        }

        define void @nrt_incref(ptr %mi) {
        entry:
          %null = icmp eq ptr %mi, null
          br i1 %null, label %done, label %inc
        inc:
          %old = atomicrmw add ptr %mi, i64 1 monotonic
          call void @nrt_debug_trace(i32 1, ptr %mi)
          br label %done
        done:
          ret void
        }

        define void @nrt_decref(ptr %mi) {
        entry:
          %null = icmp eq ptr %mi, null
          br i1 %null, label %done, label %check
        check:
          %flags = call i64 @nrt_flags()
          %debug = and i64 %flags, 2
          %isdebug = icmp ne i64 %debug, 0
          br i1 %isdebug, label %underflow.test, label %dec
        underflow.test:
          %current = load atomic i64, ptr %mi monotonic, align 8
          %zero = icmp eq i64 %current, 0
          br i1 %zero, label %underflow, label %dec
        underflow:
          ; Counting below zero would corrupt memory: record the MemInfo, trace, and leave it alone.
          %errors = getelementptr inbounds [{{NrtState.Fields}} x i64], ptr @nrt_state, i64 0, i64 6
          %e = atomicrmw add ptr %errors, i64 1 monotonic
          %lastp = getelementptr inbounds [{{NrtState.Fields}} x i64], ptr @nrt_state, i64 0, i64 7
          store atomic ptr %mi, ptr %lastp monotonic, align 8
          call void @nrt_trace(i32 3, ptr %mi, i64 0)
          br label %done
        dec:
          ; The only reference (count 1, and it is ours) cannot be shared concurrently: no atomic write needed.
          %sole = load atomic i64, ptr %mi acquire, align 8
          %last = icmp eq i64 %sole, 1
          br i1 %last, label %last.ref, label %shared
        last.ref:
          call void @nrt_debug_trace(i32 2, ptr %mi)
          call void @nrt_meminfo_call_dtor(ptr %mi)
          br label %done
        shared:
          %old = atomicrmw sub ptr %mi, i64 1 release
          call void @nrt_debug_trace(i32 2, ptr %mi)
          %dead = icmp eq i64 %old, 1
          br i1 %dead, label %destroy, label %done
        destroy:
          fence acquire
          call void @nrt_meminfo_call_dtor(ptr %mi)
          br label %done
        done:
          ret void
        }

        ; For destructors: releases a child; a child that dies joins the worklist (linked through
        ; its refct field, unused once dead) instead of being destroyed recursively.
        define void @nrt_release_deferred(ptr %mi, ptr %worklist) {
        entry:
          %null = icmp eq ptr %mi, null
          br i1 %null, label %done, label %dec
        dec:
          %sole = load atomic i64, ptr %mi acquire, align 8
          %last = icmp eq i64 %sole, 1
          br i1 %last, label %last.ref, label %shared
        last.ref:
          call void @nrt_debug_trace(i32 2, ptr %mi)
          br label %push
        shared:
          %old = atomicrmw sub ptr %mi, i64 1 release
          call void @nrt_debug_trace(i32 2, ptr %mi)
          %dead = icmp eq i64 %old, 1
          br i1 %dead, label %acquired, label %done
        acquired:
          fence acquire
          br label %push
        push:
          %head = load ptr, ptr %worklist, align 8
          store ptr %head, ptr %mi, align 8
          store ptr %mi, ptr %worklist, align 8
          br label %done
        done:
          ret void
        }

        ; The destructor of an array whose elements are MemInfo pointers (an array of jit class instances;
        ; data is its descriptor, see DescriptorLayout): releases every non-null element through the worklist,
        ; so dropping a long array, or arrays nested in its elements, never recurses.
        define void @nrt_release_elements(ptr %data, i64 %size, ptr %info, ptr %worklist) {
        entry:
          %lengthp = getelementptr inbounds i8, ptr %data, i64 {{DescriptorLayout.Length}}
          %length = load i64, ptr %lengthp, align 8
          %elementsp = getelementptr inbounds i8, ptr %data, i64 {{DescriptorLayout.Data}}
          %elements = load ptr, ptr %elementsp, align 8
          %empty = icmp sle i64 %length, 0
          br i1 %empty, label %done, label %loop
        loop:
          %i = phi i64 [ 0, %entry ], [ %next, %loop ]
          %at = getelementptr inbounds ptr, ptr %elements, i64 %i
          %element = load ptr, ptr %at, align 8
          call void @nrt_release_deferred(ptr %element, ptr %worklist)
          %next = add i64 %i, 1
          %more = icmp slt i64 %next, %length
          br i1 %more, label %loop, label %done
        done:
          ret void
        }

        ; Destroys a MemInfo and, iteratively, every child its destructor releases.
        define void @nrt_meminfo_call_dtor(ptr %first) {
        entry:
          ; One pool lookup for the whole cascade: every pooled block it frees goes to this thread's pool.
          %thepool = call ptr @nrt_pool()
          %list = alloca ptr, align 8
          store ptr null, ptr %first, align 8
          store ptr %first, ptr %list, align 8
          br label %loop
        loop:
          %cur = load ptr, ptr %list, align 8
          %empty = icmp eq ptr %cur, null
          br i1 %empty, label %done, label %body
        body:
          %next = load ptr, ptr %cur, align 8
          store ptr %next, ptr %list, align 8
          %dtorp = getelementptr inbounds %MemInfo, ptr %cur, i32 0, i32 1
          %dtor = load ptr, ptr %dtorp, align 8
          %datap = getelementptr inbounds %MemInfo, ptr %cur, i32 0, i32 3
          %data = load ptr, ptr %datap, align 8
          %sizep = getelementptr inbounds %MemInfo, ptr %cur, i32 0, i32 4
          %size = load i64, ptr %sizep, align 8
          %hasdtor = icmp ne ptr %dtor, null
          br i1 %hasdtor, label %calldtor, label %release
        calldtor:
          %infop = getelementptr inbounds %MemInfo, ptr %cur, i32 0, i32 2
          %info = load ptr, ptr %infop, align 8
          call void %dtor(ptr %data, i64 %size, ptr %info, ptr %list)
          br label %release
        release:
          call void @nrt_debug_trace(i32 4, ptr %cur)
          ; Data inside the block (not wrapped external memory) is filled 0xDE in debug mode.
          %inline = getelementptr inbounds i8, ptr %cur, i64 {{MemInfoSize}}
          %owned = icmp uge ptr %data, %inline
          %blockend = getelementptr inbounds i8, ptr %inline, i64 %size
          %dataend = getelementptr i8, ptr %data, i64 %size
          %inside = icmp ule ptr %dataend, %blockend
          %fillable = and i1 %owned, %inside
          br i1 %fillable, label %fill, label %free
        fill:
          call void @nrt_debug_fill(ptr %data, i64 %size, i8 -34)
          br label %free
        free:
          %allocp = getelementptr inbounds %MemInfo, ptr %cur, i32 0, i32 5
          %marked = load ptr, ptr %allocp, align 8
          %bits = ptrtoint ptr %marked to i64
          %inlinebit = and i64 %bits, 1
          %isinline = icmp ne i64 %inlinebit, 0
          %poolbit = and i64 %bits, 2
          %ispooled = icmp ne i64 %poolbit, 0
          br i1 %ispooled, label %to.pool, label %to.allocator
        to.pool:
          %total = add i64 %size, {{MemInfoSize}}
          call void @nrt_pool_give(ptr %thepool, ptr %cur, i64 %total)
          call void @nrt_pool_count(ptr %thepool, i32 1)
          br label %loop
        to.allocator:
          %markbits = and i64 %bits, 3
          %negbits = sub i64 0, %markbits
          %realalloc = getelementptr i8, ptr %marked, i64 %negbits
          call void @nrt_deallocate_raw(ptr %cur, ptr %realalloc)
          br i1 %isinline, label %count.inline, label %count.separate
        count.inline:
          call void @nrt_count(i64 9)
          br label %loop
        count.separate:
          call void @nrt_count(i64 3)
          call void @nrt_count(i64 1)
          br label %loop
        done:
          ret void
        }
        """;
}
