namespace Targets.Runtime;

/// <summary>The runtime's allocation: flags, counters, debug fills, raw and MemInfo allocation.</summary>
public static partial class NrtRuntimeIr
{
    static string Allocation => $$"""
        ; Whether a flag of the state (NrtState.StatsOn, DebugOn, PoolOn) is set.
        define internal i1 @nrt_flag(i64 %bit) alwaysinline {
          %p = getelementptr inbounds [{{NrtState.Fields}} x i64], ptr @nrt_state, i64 0, i64 {{NrtState.Flags}}
          %flags = load atomic i64, ptr %p monotonic, align 8
          %on = and i64 %flags, %bit
          %yes = icmp ne i64 %on, 0
          ret i1 %yes
        }

        define internal void @nrt_count(i64 %field) alwaysinline {
        entry:
          %yes = call i1 @nrt_flag(i64 {{NrtState.StatsOn}})
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
          %yes = call i1 @nrt_flag(i64 {{NrtState.DebugOn}})
          br i1 %yes, label %trace, label %done
        trace:
          %refct = load atomic i64, ptr %mi monotonic, align 8
          call void @nrt_stack_reserve()
          call void @nrt_trace(i32 %op, ptr %mi, i64 %refct)
          br label %done
        done:
          ret void
        }

        define internal void @nrt_debug_fill(ptr %data, i64 %size, i8 %pattern) alwaysinline {
        entry:
          %yes = call i1 @nrt_flag(i64 {{NrtState.DebugOn}})
          br i1 %yes, label %fill, label %done
        fill:
          call void @llvm.memset.p0.i64(ptr %data, i8 %pattern, i64 %size, i1 false)
          br label %done
        done:
          ret void
        }

        ; Called before anything that may take a lock outside compiled code (libc's allocator, an
        ; external allocator, pthread keys, the debug trace). A stack overflow there would strike
        ; inside malloc, holding its lock, and the fault path would deadlock on it. Where the thread's
        ; stack limit is known (StackLimits) and the stack pointer is past it, the process ends as
        ; .NET ends a stack overflow, without allocating or locking (short of it, StackLimits.Margin
        ; bytes remain); where the limit is unknown the next {{StackReserve}} bytes are probed, so that
        ; the fault, if any, strikes here with no lock held.
        define void @nrt_stack_reserve() noinline {
        entry:
          %kp = getelementptr inbounds [{{NrtState.Fields}} x i64], ptr @nrt_state, i64 0, i64 {{NrtState.StackKey}}
          %stored = load atomic i64, ptr %kp monotonic, align 8
          %known = icmp ne i64 %stored, 0
          br i1 %known, label %lookup, label %probe
        lookup:
          %key = call i32 @nrt_pool_key_of(i64 %stored)
          %safe = call ptr @pthread_getspecific(i32 %key)
          %registered = icmp ne ptr %safe, null
          br i1 %registered, label %compare, label %probe
        compare:
          %sp = call ptr @llvm.stacksave.p0()
          %past = icmp ult ptr %sp, %safe
          br i1 %past, label %overflow, label %room
        overflow:
          call void @nrt_stack_overflow()
          unreachable
        room:
          ret void
        probe:
          call void @nrt_stack_probe()
          ret void
        }

        ; Touches the next {{StackReserve}} bytes page by page, moving the stack pointer as it goes
        ; (the prologue's probes, "probe-stack"): a fault strikes next to the stack pointer, where
        ; .NET recognises a stack overflow. The empty asm takes the frame's address, so no pass
        ; shrinks or removes it.
        define internal void @nrt_stack_probe() noinline "probe-stack"="inline-asm" {
          %room = alloca [{{StackReserve}} x i8], align 16
          call void asm sideeffect "", "r,~{memory}"(ptr %room)
          ret void
        }

        ; .NET's message for a stack overflow, then abort (SIGABRT), as .NET ends one.
        define internal void @nrt_stack_overflow() noinline noreturn cold {
          %w = call i64 @write(i32 2, ptr @nrt_stack_message, i64 16)
          call void @abort()
          unreachable
        }

        define ptr @nrt_allocate(i64 %size) {
        entry:
          %p = call ptr @nrt_allocate_raw(i64 %size)
          %ok = icmp ne ptr %p, null
          br i1 %ok, label %counted, label %done
        counted:
          call void @nrt_count(i64 {{NrtState.Alloc}})
          br label %done
        done:
          ret ptr %p
        }

        define internal ptr @nrt_allocate_raw(i64 %size) alwaysinline {
          %ap = getelementptr inbounds [{{NrtState.Fields}} x i64], ptr @nrt_state, i64 0, i64 {{NrtState.Allocator}}
          %allocator = load atomic ptr, ptr %ap monotonic, align 8
          %p = call ptr @nrt_allocate_with(ptr %allocator, i64 %size)
          ret ptr %p
        }

        ; %size bytes from %allocator (an external allocator table), or from libc when it is null.
        define internal ptr @nrt_allocate_with(ptr %allocator, i64 %size) alwaysinline {
        entry:
          %external = icmp ne ptr %allocator, null
          br i1 %external, label %ext, label %libc
        ext:
          %malloc = load ptr, ptr %allocator, align 8
          %opaquep = getelementptr inbounds %Allocator, ptr %allocator, i32 0, i32 2
          %opaque = load ptr, ptr %opaquep, align 8
          call void @nrt_stack_reserve()
          %pe = call ptr %malloc(i64 %size, ptr %opaque)
          br label %got
        libc:
          call void @nrt_stack_reserve()
          %pl = call ptr @malloc(i64 %size)
          br label %got
        got:
          %p = phi ptr [ %pe, %ext ], [ %pl, %libc ]
          ret ptr %p
        }

        define void @nrt_deallocate(ptr %p, ptr %allocator) {
          call void @nrt_deallocate_raw(ptr %p, ptr %allocator)
          call void @nrt_count(i64 {{NrtState.Free}})
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
          call void @nrt_stack_reserve()
          call void %freefn(ptr %p, ptr %opaque)
          br label %done
        libc:
          call void @nrt_stack_reserve()
          call void @free(ptr %p)
          br label %done
        done:
          ret void
        }

        ; %inline: the data shares the MemInfo's block (counted once, as inline_alloc).
        ; %pooled: the block came from the pool (see nrt_pool_take).
        define internal ptr @nrt_meminfo_init(ptr %mi, ptr %data, i64 %size, ptr %dtor, ptr %info, i1 %inline, i1 %pooled) alwaysinline {
          %ap = getelementptr inbounds [{{NrtState.Fields}} x i64], ptr @nrt_state, i64 0, i64 {{NrtState.Allocator}}
          %table = load atomic ptr, ptr %ap monotonic, align 8
          %inlinebit = zext i1 %inline to i64
          %poolbit = select i1 %pooled, i64 2, i64 0
          %mark = or i64 %inlinebit, %poolbit
          %allocator = getelementptr i8, ptr %table, i64 %mark
          store i64 1, ptr %mi, align 8
          ; Field 1 holds the destructor plus one: bit 0 tells a full MemInfo from an instance header.
          %tagged = getelementptr i8, ptr %dtor, i64 1
          %f1 = getelementptr inbounds %MemInfo, ptr %mi, i32 0, i32 1
          store ptr %tagged, ptr %f1, align 8
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
          %which = select i1 %inline, i64 {{NrtState.InlineAlloc}}, i64 {{NrtState.MiAlloc}}
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
          %pb = call ptr @nrt_pool_take(ptr %thepool, i64 %total, i64 0)
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

        ; An instance of the class described by %class ({ ptr dtor, i64 size }, 8-aligned): a {{HeaderSize}}-byte
        ; header { i64 refct, ptr tag } and the zeroed data right after it. The tag is %class plus how the
        ; block was allocated: 2 from the pool, 4 from an external allocator (whose table is stored in the
        ; {{HeaderSize}} bytes before the header, where the block starts), 0 from libc. Null on failure.
        define ptr @nrt_instance_alloc(ptr %class) {
        entry:
          %sizep = getelementptr inbounds i8, ptr %class, i64 8
          %size = load i64, ptr %sizep, align 8
          ; A class whose record lists its references is tracked: pooled, in the tracked size classes; otherwise
          ; with the collector's prefix, linked into a stripe's list (see TrackedBit).
          %refsp = getelementptr inbounds i8, ptr %class, i64 {{ClassRecordReferences}}
          %refs = load ptr, ptr %refsp, align 8
          %tracked = icmp ne ptr %refs, null
          %sized = add i64 %size, {{HeaderSize}}
          %ap = getelementptr inbounds [{{NrtState.Fields}} x i64], ptr @nrt_state, i64 0, i64 {{NrtState.Allocator}}
          %allocator = load atomic ptr, ptr %ap monotonic, align 8
          %external = icmp ne ptr %allocator, null
          br i1 %external, label %ext, label %local
        ext:
          ; The allocator's table goes in the word before the header (the prefix's third word when tracked).
          %eprefix = select i1 %tracked, i64 {{TrackedPrefix}}, i64 {{HeaderSize}}
          %etotal = add i64 %sized, %eprefix
          %eb = call ptr @nrt_allocate_with(ptr %allocator, i64 %etotal)
          %eok = icmp ne ptr %eb, null
          br i1 %eok, label %ext.made, label %failed
        ext.made:
          %emi = getelementptr inbounds i8, ptr %eb, i64 %eprefix
          %eslot = getelementptr inbounds i8, ptr %emi, i64 -{{HeaderSize}}
          store ptr %allocator, ptr %eslot, align 8
          call void @nrt_count(i64 {{NrtState.InlineAlloc}})
          br label %init
        local:
          %pooled = call i1 @nrt_poolable(i64 %sized)
          br i1 %pooled, label %pool, label %raw
        pool:
          %thepool = call ptr @nrt_pool()
          %base = select i1 %tracked, i64 {{TrackedClasses}}, i64 0
          %pb = call ptr @nrt_pool_take(ptr %thepool, i64 %sized, i64 %base)
          %pok = icmp ne ptr %pb, null
          br i1 %pok, label %pool.made, label %failed
        pool.made:
          call void @nrt_pool_count(ptr %thepool, i32 0)
          br label %init
        raw:
          %rprefix = select i1 %tracked, i64 {{TrackedPrefix}}, i64 0
          %rtotal = add i64 %sized, %rprefix
          %rb = call ptr @nrt_allocate_with(ptr null, i64 %rtotal)
          %rok = icmp ne ptr %rb, null
          br i1 %rok, label %raw.made, label %failed
        raw.made:
          call void @nrt_count(i64 {{NrtState.InlineAlloc}})
          %rmi = getelementptr inbounds i8, ptr %rb, i64 %rprefix
          br label %init
        init:
          %mi = phi ptr [ %emi, %ext.made ], [ %pb, %pool.made ], [ %rmi, %raw.made ]
          %mode = phi i64 [ 4, %ext.made ], [ 2, %pool.made ], [ 0, %raw.made ]
          %trackbit = select i1 %tracked, i64 {{TrackedBit}}, i64 0
          %bits = or i64 %mode, %trackbit
          store i64 1, ptr %mi, align 8
          %tag = getelementptr i8, ptr %class, i64 %bits
          %tagp = getelementptr inbounds i8, ptr %mi, i64 8
          store ptr %tag, ptr %tagp, align 8
          %data = getelementptr inbounds i8, ptr %mi, i64 {{HeaderSize}}
          call void @llvm.memset.p0.i64(ptr %data, i8 0, i64 %size, i1 false)
          %inslab = icmp eq i64 %mode, 2
          %listed = xor i1 %inslab, true
          %link = and i1 %tracked, %listed
          br i1 %link, label %track, label %made
        track:
          call void @nrt_track(ptr %mi)
          br label %made
        made:
          call void @nrt_debug_trace(i32 0, ptr %mi)
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

        """;
}
