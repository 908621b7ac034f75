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
/// <c>nrt_trace(i32 op, ptr meminfo, i64 refct)</c> (debug tracing), <c>malloc</c>, <c>free</c>.</para>
/// </summary>
public static class NrtRuntimeIr
{
    /// <summary>Size of a MemInfo header.</summary>
    public const int MemInfoSize = 48;

    /// <summary>Field offsets in a MemInfo.</summary>
    public const int RefCountOffset = 0, DtorOffset = 8, DtorInfoOffset = 16, DataOffset = 24, SizeOffset = 32, AllocatorOffset = 40;

    /// <summary>Trace operation codes passed to <c>nrt_trace</c>.</summary>
    public enum TraceOp { Alloc = 0, Incref = 1, Decref = 2, DecrefBelowZero = 3, Destroy = 4 }

    /// <summary>Names of the runtime's entry points.</summary>
    public const string Allocate = "nrt_allocate", Deallocate = "nrt_deallocate", MemInfoAlloc = "nrt_meminfo_alloc",
        MemInfoAllocDtor = "nrt_meminfo_alloc_dtor", MemInfoAllocZeroed = "nrt_meminfo_alloc_zeroed", MemInfoAllocAligned = "nrt_meminfo_alloc_aligned", MemInfoNew = "nrt_meminfo_new",
        Incref = "nrt_incref", Decref = "nrt_decref", ReleaseDeferred = "nrt_release_deferred", CallDtor = "nrt_meminfo_call_dtor",
        State = "nrt_state", Trace = "nrt_trace", AdoptArray = "nrt_adopt_array";

    public static string Text { get; } = $$"""
        ; Targets NRT runtime. State fields: 0 alloc, 1 free, 2 mi_alloc, 3 mi_free, 4 flags (1 stats, 2 debug),
        ; 5 external allocator { ptr malloc(i64, ptr), ptr free(ptr, ptr), ptr opaque }, 6 errors, 7 last error MemInfo,
        ; 8 inline_alloc, 9 inline_free: a MemInfo whose data shares its block is one allocation and one
        ; MemInfo, counted with one atomic add (field 8/9 count towards both), marked by bit 0 of its
        ; allocator field (allocator tables are pointer-aligned, so the bit is free).
        %MemInfo = type { i64, ptr, ptr, ptr, i64, ptr }
        %Allocator = type { ptr, ptr, ptr }

        @nrt_state = external global [10 x i64]

        declare ptr @malloc(i64)
        declare void @free(ptr)
        declare void @llvm.memset.p0.i64(ptr, i8, i64, i1)
        declare void @nrt_trace(i32, ptr, i64)

        define internal i64 @nrt_flags() alwaysinline {
          %p = getelementptr inbounds [10 x i64], ptr @nrt_state, i64 0, i64 4
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
          %p = getelementptr inbounds [10 x i64], ptr @nrt_state, i64 0, i64 %field
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
          %ap = getelementptr inbounds [10 x i64], ptr @nrt_state, i64 0, i64 5
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
        define internal ptr @nrt_meminfo_init(ptr %mi, ptr %data, i64 %size, ptr %dtor, ptr %info, i1 %inline) alwaysinline {
          %ap = getelementptr inbounds [10 x i64], ptr @nrt_state, i64 0, i64 5
          %table = load atomic ptr, ptr %ap monotonic, align 8
          %mark = zext i1 %inline to i64
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
          %which = select i1 %inline, i64 8, i64 2
          call void @nrt_count(i64 %which)
          call void @nrt_debug_trace(i32 0, ptr %mi)
          ret ptr %mi
        }

        ; One block: the MemInfo, then size bytes of data, zeroed or (debug) filled 0xCB. Null on failure.
        define internal ptr @nrt_meminfo_alloc_block(i64 %size, ptr %dtor, i1 %zeroed) alwaysinline {
        entry:
          %total = add i64 %size, {{MemInfoSize}}
          %block = call ptr @nrt_allocate_raw(i64 %total)
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
          %mi = call ptr @nrt_meminfo_init(ptr %block, ptr %data, i64 %size, ptr %dtor, ptr null, i1 true)
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
          %mi = call ptr @nrt_meminfo_init(ptr %block, ptr %data, i64 %size, ptr null, ptr null, i1 true)
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
          %mi = call ptr @nrt_meminfo_init(ptr %block, ptr %data, i64 %size, ptr %dtor, ptr %info, i1 false)
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
          %errors = getelementptr inbounds [10 x i64], ptr @nrt_state, i64 0, i64 6
          %e = atomicrmw add ptr %errors, i64 1 monotonic
          %lastp = getelementptr inbounds [10 x i64], ptr @nrt_state, i64 0, i64 7
          store atomic ptr %mi, ptr %lastp monotonic, align 8
          call void @nrt_trace(i32 3, ptr %mi, i64 0)
          br label %done
        dec:
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
          %old = atomicrmw sub ptr %mi, i64 1 release
          call void @nrt_debug_trace(i32 2, ptr %mi)
          %dead = icmp eq i64 %old, 1
          br i1 %dead, label %push, label %done
        push:
          fence acquire
          %head = load ptr, ptr %worklist, align 8
          store ptr %head, ptr %mi, align 8
          store ptr %mi, ptr %worklist, align 8
          br label %done
        done:
          ret void
        }

        ; Destroys a MemInfo and, iteratively, every child its destructor releases.
        define void @nrt_meminfo_call_dtor(ptr %first) {
        entry:
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
          %negbit = sub i64 0, %inlinebit
          %realalloc = getelementptr i8, ptr %marked, i64 %negbit
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
