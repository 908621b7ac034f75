namespace Targets.Runtime;

/// <summary>The runtime's per-thread pools of small blocks: the pthread key, pool creation and reuse, slabs and the overflow store, taking and giving blocks, per-thread counts.</summary>
public static partial class NrtRuntimeIr
{
    static string Pools => $$"""
        ; A thread's pool: the head of each size class's free list, the bytes it holds, its thread's counts of
        ; pooled allocations and frees (written by that thread alone, so without atomic read-modify-write;
        ; Nrt.GetAllocationStats sums them), the next pool of the registry (state field 11), and whether a
        ; thread owns it. Pools are never freed: an exiting thread empties its pool for the next thread.
        ; Blocks come from slabs (see nrt_pool_refill) and are never freed to libc.
        %Pool = type { [{{AllClasses}} x ptr], [{{AllClasses}} x i64], [2 x i64], ptr, i64 }

        ; The size class of a block of %total (1..{{PoolLimit}}) bytes, and the bytes of that class's blocks.
        define internal i64 @nrt_pool_class(i64 %total) alwaysinline {
          %t1 = sub i64 %total, 1
          %c = lshr i64 %t1, 4
          ret i64 %c
        }

        define internal i64 @nrt_pool_class_bytes(i64 %c) alwaysinline {
          %c1 = add i64 %c, 1
          %bytes = shl i64 %c1, 4
          ret i64 %bytes
        }

        ; The pool key (state field PoolKey holds it plus one, 0 before it exists), made by the first
        ; thread that needs it; -1 when it cannot be made.
        define internal i32 @nrt_pool_key() alwaysinline {
        entry:
          %kp = getelementptr inbounds [{{NrtState.Fields}} x i64], ptr @nrt_state, i64 0, i64 {{NrtState.PoolKey}}
          %stored = load atomic i64, ptr %kp acquire, align 8
          %have = icmp ne i64 %stored, 0
          br i1 %have, label %known, label %create
        known:
          %key = call i32 @nrt_pool_key_of(i64 %stored)
          ret i32 %key
        create:
          %made = call i32 @nrt_pool_key_create(ptr %kp)
          ret i32 %made
        }

        ; A pthread key kept in the state as key plus one (the pool key, the stack-limit key).
        define internal i32 @nrt_pool_key_of(i64 %stored) alwaysinline {
          %k = sub i64 %stored, 1
          %k32 = trunc i64 %k to i32
          ret i32 %k32
        }

        ; Creates the key; of two threads racing, the compare-exchange keeps one key and the other deletes its own.
        define internal i32 @nrt_pool_key_create(ptr %kp) noinline {
        entry:
          %slot = alloca i32, align 4
          call void @nrt_stack_reserve()
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
          %key = call i32 @nrt_pool_key_of(i64 %winner)
          ret i32 %key
        none:
          ret i32 -1
        }

        ; The calling thread's pool, made on first use; null when it cannot be made (then nothing is pooled).
        define internal ptr @nrt_pool() alwaysinline {
        entry:
          %key = call i32 @nrt_pool_key()
          %nokey = icmp eq i32 %key, -1
          br i1 %nokey, label %none, label %lookup
        lookup:
          %pool = call ptr @pthread_getspecific(i32 %key)
          %made = icmp ne ptr %pool, null
          br i1 %made, label %done, label %slow
        done:
          ret ptr %pool
        slow:
          %p = call ptr @nrt_pool_create(i32 %key)
          ret ptr %p
        none:
          ret ptr null
        }

        define internal ptr @nrt_pool_create(i32 %key) noinline {
        entry:
          %headp = getelementptr inbounds [{{NrtState.Fields}} x i64], ptr @nrt_state, i64 0, i64 {{NrtState.Pools}}
          %first = load atomic ptr, ptr %headp acquire, align 8
          br label %walk
        walk:
          %cur = phi ptr [ %first, %entry ], [ %next, %taken ]
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
          call void @nrt_stack_reserve()
          %fresh = call ptr @calloc(i64 1, i64 {{AllClasses * 16 + 32}})
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
          call void @nrt_stack_reserve()
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

        ; The key's destructor: a thread that exits leaves its pooled blocks to the overflow store and its pool
        ; (with its counts) to the next thread that needs one.
        define internal void @nrt_pool_free(ptr %pool) {
        entry:
          br label %class
        class:
          %c = phi i64 [ 0, %entry ], [ %c.next, %class.done ]
          %hp = getelementptr inbounds %Pool, ptr %pool, i32 0, i32 0, i64 %c
          %first = load ptr, ptr %hp, align 8
          store ptr null, ptr %hp, align 8
          %bp = getelementptr inbounds %Pool, ptr %pool, i32 0, i32 1, i64 %c
          %held = load i64, ptr %bp, align 8
          store i64 0, ptr %bp, align 8
          %empty = icmp eq ptr %first, null
          br i1 %empty, label %class.done, label %move
        move:
          %last = call ptr @nrt_list_last(ptr %first)
          call void @nrt_overflow_put(i64 %c, ptr %first, ptr %last, i64 %held)
          br label %class.done
        class.done:
          %c.next = add i64 %c, 1
          %more = icmp ult i64 %c.next, {{AllClasses}}
          br i1 %more, label %class, label %done
        done:
          %ownedp = getelementptr inbounds %Pool, ptr %pool, i32 0, i32 4
          store atomic i64 0, ptr %ownedp release, align 8
          ret void
        }

        ; The last block of a free list (linked through word 0; not empty).
        define internal ptr @nrt_list_last(ptr %first) {
        entry:
          br label %walk
        walk:
          %cur = phi ptr [ %first, %entry ], [ %next, %walk ]
          %next = load ptr, ptr %cur, align 8
          %end = icmp eq ptr %next, null
          br i1 %end, label %done, label %walk
        done:
          ret ptr %cur
        }

        ; A spinlock: a word that is 1 while held (the overflow store's, the tracked lists' stripes').
        ; The overflow store: pooled blocks no thread's pool keeps, by size class, for any thread's empty class
        ; to take back. A spinlock guards it, held for a few loads and stores and never across a call; the
        ; list heads are also read without it (an empty class is not worth locking for), so they are atomic.
        define internal void @nrt_spin_lock(ptr %lp) alwaysinline {
        entry:
          br label %try
        try:
          %pair = cmpxchg weak ptr %lp, i64 0, i64 1 acquire monotonic
          %won = extractvalue { i64, i1 } %pair, 1
          br i1 %won, label %done, label %spin
        spin:
          %busy = load atomic i64, ptr %lp monotonic, align 8
          br label %try
        done:
          ret void
        }

        define internal void @nrt_spin_unlock(ptr %lp) alwaysinline {
          store atomic i64 0, ptr %lp release, align 8
          ret void
        }

        define internal void @nrt_overflow_lock() alwaysinline {
          %lp = getelementptr inbounds [{{NrtState.Fields}} x i64], ptr @nrt_state, i64 0, i64 {{NrtState.OverflowLock}}
          call void @nrt_spin_lock(ptr %lp)
          ret void
        }

        define internal void @nrt_overflow_unlock() alwaysinline {
          %lp = getelementptr inbounds [{{NrtState.Fields}} x i64], ptr @nrt_state, i64 0, i64 {{NrtState.OverflowLock}}
          call void @nrt_spin_unlock(ptr %lp)
          ret void
        }

        ; Puts the list %first..%last (%bytes in all) of class %c into the store.
        define internal void @nrt_overflow_put(i64 %c, ptr %first, ptr %last, i64 %bytes) noinline {
          %hi = add i64 %c, {{NrtState.Overflow}}
          %hp = getelementptr inbounds [{{NrtState.Fields}} x i64], ptr @nrt_state, i64 0, i64 %hi
          %bi = add i64 %c, {{NrtState.OverflowBytes}}
          %bp = getelementptr inbounds [{{NrtState.Fields}} x i64], ptr @nrt_state, i64 0, i64 %bi
          call void @nrt_overflow_lock()
          %head = load atomic ptr, ptr %hp monotonic, align 8
          store ptr %head, ptr %last, align 8
          store atomic ptr %first, ptr %hp monotonic, align 8
          %held = load i64, ptr %bp, align 8
          %more = add i64 %held, %bytes
          store i64 %more, ptr %bp, align 8
          call void @nrt_overflow_unlock()
          ret void
        }

        ; Takes class %c's whole list from the store (null when it has none), its bytes into %bytesout.
        define internal ptr @nrt_overflow_take(i64 %c, ptr %bytesout) noinline {
        entry:
          %hi = add i64 %c, {{NrtState.Overflow}}
          %hp = getelementptr inbounds [{{NrtState.Fields}} x i64], ptr @nrt_state, i64 0, i64 %hi
          %bi = add i64 %c, {{NrtState.OverflowBytes}}
          %bp = getelementptr inbounds [{{NrtState.Fields}} x i64], ptr @nrt_state, i64 0, i64 %bi
          %peek = load atomic ptr, ptr %hp monotonic, align 8
          %none = icmp eq ptr %peek, null
          br i1 %none, label %empty, label %take
        take:
          call void @nrt_overflow_lock()
          %head = load atomic ptr, ptr %hp monotonic, align 8
          store atomic ptr null, ptr %hp monotonic, align 8
          %held = load i64, ptr %bp, align 8
          store i64 0, ptr %bp, align 8
          call void @nrt_overflow_unlock()
          store i64 %held, ptr %bytesout, align 8
          ret ptr %head
        empty:
          ret ptr null
        }

        ; A block for class %c (%bytes each) when %pool has none (or there is no pool): the store's blocks of
        ; the class if it has some, else a new slab carved into blocks; the first is returned, the rest become
        ; the class's free list (without a pool, they go to the store). Null when libc has no memory.
        define internal ptr @nrt_pool_refill(ptr %pool, i64 %c, i64 %bytes) noinline {
        entry:
          %bo = alloca i64, align 8
          %got = call ptr @nrt_overflow_take(i64 %c, ptr %bo)
          %some = icmp ne ptr %got, null
          br i1 %some, label %reuse, label %slab
        reuse:
          %rest = load ptr, ptr %got, align 8
          %obytes = load i64, ptr %bo, align 8
          %restbytes = sub i64 %obytes, %bytes
          br label %keep
        slab:
          call void @nrt_stack_reserve()
          %istracked = icmp uge i64 %c, {{TrackedClasses}}
          br i1 %istracked, label %tracked.slab, label %plain.slab
        plain.slab:
          %ps = call ptr @malloc(i64 {{SlabBytes}})
          br label %made
        tracked.slab:
          ; Zeroed (a tag of zero is no live instance) and listed, for the cycle collector to walk.
          %ts = call ptr @calloc(i64 1, i64 {{SlabBytes}})
          %tsok = icmp ne ptr %ts, null
          br i1 %tsok, label %register, label %made
        register:
          %listed = call i1 @nrt_register_slab(ptr %ts, i64 %bytes)
          br i1 %listed, label %made, label %unlisted
        unlisted:
          call void @free(ptr %ts)
          br label %made
        made:
          %s = phi ptr [ %ps, %plain.slab ], [ null, %tracked.slab ], [ %ts, %register ], [ null, %unlisted ]
          %ok = icmp ne ptr %s, null
          br i1 %ok, label %carve, label %fail
        carve:
          %n = udiv i64 {{SlabBytes}}, %bytes
          %second = getelementptr inbounds i8, ptr %s, i64 %bytes
          br label %link
        link:
          %i = phi i64 [ 1, %carve ], [ %i.next, %link ]
          %at = mul i64 %i, %bytes
          %cur = getelementptr inbounds i8, ptr %s, i64 %at
          %i.next = add i64 %i, 1
          %more = icmp ult i64 %i.next, %n
          %nextat = add i64 %at, %bytes
          %nextblock = getelementptr inbounds i8, ptr %s, i64 %nextat
          %next = select i1 %more, ptr %nextblock, ptr null
          store ptr %next, ptr %cur, align 8
          br i1 %more, label %link, label %carved
        carved:
          %n1 = sub i64 %n, 1
          %slabrest = mul i64 %n1, %bytes
          br label %keep
        keep:
          %first = phi ptr [ %got, %reuse ], [ %s, %carved ]
          %list = phi ptr [ %rest, %reuse ], [ %second, %carved ]
          %listbytes = phi i64 [ %restbytes, %reuse ], [ %slabrest, %carved ]
          %nolist = icmp eq ptr %list, null
          br i1 %nolist, label %done, label %place
        place:
          %has = icmp ne ptr %pool, null
          br i1 %has, label %to.pool, label %to.store
        to.pool:
          %hp = getelementptr inbounds %Pool, ptr %pool, i32 0, i32 0, i64 %c
          store ptr %list, ptr %hp, align 8
          %bp = getelementptr inbounds %Pool, ptr %pool, i32 0, i32 1, i64 %c
          %held = load i64, ptr %bp, align 8
          %held.more = add i64 %held, %listbytes
          store i64 %held.more, ptr %bp, align 8
          br label %done
        to.store:
          %last = call ptr @nrt_list_last(ptr %list)
          call void @nrt_overflow_put(i64 %c, ptr %list, ptr %last, i64 %listbytes)
          br label %done
        done:
          ret ptr %first
        fail:
          ret ptr null
        }

        ; Lists a slab of the tracked classes (blocks of %bytes) in the registry the cycle collector walks: a node
        ; { next, slab, bytes } pushed onto state field TrackedSlabs. Counts it, and marks a collection due when the
        ; count reaches the threshold (tracked memory grew by as much as the collector allows, see CycleCollector).
        ; False when libc has no memory for the node.
        define internal i1 @nrt_register_slab(ptr %slab, i64 %bytes) noinline {
        entry:
          %node = call ptr @malloc(i64 24)
          %ok = icmp ne ptr %node, null
          br i1 %ok, label %fill, label %fail
        fill:
          %slabp = getelementptr inbounds i8, ptr %node, i64 8
          store ptr %slab, ptr %slabp, align 8
          %bytesp = getelementptr inbounds i8, ptr %node, i64 16
          store i64 %bytes, ptr %bytesp, align 8
          %headp = getelementptr inbounds [{{NrtState.Fields}} x i64], ptr @nrt_state, i64 0, i64 {{NrtState.TrackedSlabs}}
          br label %push
        push:
          %old = load atomic ptr, ptr %headp monotonic, align 8
          store ptr %old, ptr %node, align 8
          %swap = cmpxchg ptr %headp, ptr %old, ptr %node release monotonic
          %pushed = extractvalue { ptr, i1 } %swap, 1
          br i1 %pushed, label %count, label %push
        count:
          %countp = getelementptr inbounds [{{NrtState.Fields}} x i64], ptr @nrt_state, i64 0, i64 {{NrtState.TrackedSlabCount}}
          %before = atomicrmw add ptr %countp, i64 1 monotonic
          %slabs = add i64 %before, 1
          %thresholdp = getelementptr inbounds [{{NrtState.Fields}} x i64], ptr @nrt_state, i64 0, i64 {{NrtState.SlabThreshold}}
          %threshold = load atomic i64, ptr %thresholdp monotonic, align 8
          %due = icmp sge i64 %slabs, %threshold
          br i1 %due, label %mark, label %done
        mark:
          %duep = getelementptr inbounds [{{NrtState.Fields}} x i64], ptr @nrt_state, i64 0, i64 {{NrtState.CycleDue}}
          store atomic i64 1, ptr %duep monotonic, align 8
          br label %done
        done:
          ret i1 true
        fail:
          ret i1 false
        }

        ; Counts a pooled allocation (%which 0) or free (1) in the thread's own pool, or globally without one.
        define internal void @nrt_pool_count(ptr %pool, i32 %which) alwaysinline {
        entry:
          %yes = call i1 @nrt_flag(i64 {{NrtState.StatsOn}})
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
          %g = add i64 %index, {{NrtState.InlineAlloc}}
          call void @nrt_count(i64 %g)
          br label %done
        done:
          ret void
        }

        ; Whether a block of %total bytes comes from the pool (pooling on, libc allocator, small enough).
        define internal i1 @nrt_poolable(i64 %total) alwaysinline {
          %pool.on = call i1 @nrt_flag(i64 {{NrtState.PoolOn}})
          %ap = getelementptr inbounds [{{NrtState.Fields}} x i64], ptr @nrt_state, i64 0, i64 {{NrtState.Allocator}}
          %allocator = load atomic ptr, ptr %ap monotonic, align 8
          %libc = icmp eq ptr %allocator, null
          %small = icmp ule i64 %total, {{PoolLimit}}
          %a = and i1 %pool.on, %libc
          %b = and i1 %a, %small
          ret i1 %b
        }

        ; A block of %total (1..{{PoolLimit}}) bytes of the classes from %base (0, or {{TrackedClasses}} for a tracked
        ; instance): the pool's, else from nrt_pool_refill.
        define internal ptr @nrt_pool_take(ptr %pool, i64 %total, i64 %base) alwaysinline {
        entry:
          %size.class = call i64 @nrt_pool_class(i64 %total)
          %bytes = call i64 @nrt_pool_class_bytes(i64 %size.class)
          %c = add i64 %size.class, %base
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
          %m = call ptr @nrt_pool_refill(ptr %pool, i64 %c, i64 %bytes)
          ret ptr %m
        }

        ; Gives a pooled block of %total bytes (of the classes from %base) back: to this thread's pool, or to the
        ; overflow store when pooling is off, there is no pool or the class is full.
        define internal void @nrt_pool_give(ptr %pool, ptr %block, i64 %total, i64 %base) alwaysinline {
        entry:
          %size.class = call i64 @nrt_pool_class(i64 %total)
          %bytes = call i64 @nrt_pool_class_bytes(i64 %size.class)
          %c = add i64 %size.class, %base
          %pool.on = call i1 @nrt_flag(i64 {{NrtState.PoolOn}})
          br i1 %pool.on, label %find, label %store
        find:
          %has = icmp ne ptr %pool, null
          br i1 %has, label %room, label %store
        room:
          %bp = getelementptr inbounds %Pool, ptr %pool, i32 0, i32 1, i64 %c
          %held = load i64, ptr %bp, align 8
          %more = add i64 %held, %bytes
          %full = icmp ugt i64 %more, {{PoolClassBytes}}
          br i1 %full, label %store, label %push
        push:
          %hp = getelementptr inbounds %Pool, ptr %pool, i32 0, i32 0, i64 %c
          %head = load ptr, ptr %hp, align 8
          store ptr %head, ptr %block, align 8
          store ptr %block, ptr %hp, align 8
          store i64 %more, ptr %bp, align 8
          ret void
        store:
          call void @nrt_overflow_put(i64 %c, ptr %block, ptr %block, i64 %bytes)
          ret void
        }

        """;
}
