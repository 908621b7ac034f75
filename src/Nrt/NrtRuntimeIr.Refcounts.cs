namespace Targets.Runtime;

/// <summary>The runtime's reference counting and destruction: incref, decref, deferred release, element release, iterative destruction.</summary>
public static partial class NrtRuntimeIr
{
    /// <summary>The words of an element <c>nrt_release_struct_elements</c> can reach.</summary>
    const int Words = StructElements.Words;

    static string Refcounts => $$"""
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

        ; Drops one reference to a MemInfo (not null); true when it was the last, the caller then destroys
        ; it. A count of 1 is the caller's own reference, which no other thread can reach to share: an
        ; acquire load decides, with no atomic write. Otherwise a release decrement, and an acquire fence
        ; before the destruction it leads to (as C++ shared_ptr).
        define internal i1 @nrt_drop(ptr %mi) alwaysinline {
        entry:
          %sole = load atomic i64, ptr %mi acquire, align 8
          %last = icmp eq i64 %sole, 1
          br i1 %last, label %dead, label %shared
        shared:
          %old = atomicrmw sub ptr %mi, i64 1 release
          %zero = icmp eq i64 %old, 1
          br i1 %zero, label %acquired, label %alive
        acquired:
          fence acquire
          br label %dead
        dead:
          call void @nrt_debug_trace(i32 2, ptr %mi)
          ret i1 true
        alive:
          call void @nrt_debug_trace(i32 2, ptr %mi)
          ret i1 false
        }

        define void @nrt_decref(ptr %mi) {
        entry:
          %null = icmp eq ptr %mi, null
          br i1 %null, label %done, label %check
        check:
          %isdebug = call i1 @nrt_flag(i64 {{NrtState.DebugOn}})
          br i1 %isdebug, label %underflow.test, label %dec
        underflow.test:
          %current = load atomic i64, ptr %mi monotonic, align 8
          %zero = icmp eq i64 %current, 0
          br i1 %zero, label %underflow, label %dec
        underflow:
          ; Counting below zero would corrupt memory: record the MemInfo, trace, and leave it alone.
          %errors = getelementptr inbounds [{{NrtState.Fields}} x i64], ptr @nrt_state, i64 0, i64 {{NrtState.Errors}}
          %e = atomicrmw add ptr %errors, i64 1 monotonic
          %lastp = getelementptr inbounds [{{NrtState.Fields}} x i64], ptr @nrt_state, i64 0, i64 {{NrtState.LastErrorMemInfo}}
          store atomic ptr %mi, ptr %lastp monotonic, align 8
          call void @nrt_stack_reserve()
          call void @nrt_trace(i32 3, ptr %mi, i64 0)
          br label %done
        dec:
          %dead = call i1 @nrt_drop(ptr %mi)
          br i1 %dead, label %destroy, label %done
        destroy:
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
          %dead = call i1 @nrt_drop(ptr %mi)
          br i1 %dead, label %push, label %done
        push:
          %head = load ptr, ptr %worklist, align 8
          store ptr %head, ptr %mi, align 8
          store ptr %mi, ptr %worklist, align 8
          br label %done
        done:
          ret void
        }

        ; The destructor of a view of another array's memory (MemoryMarshal.Cast): %info is the viewed array's
        ; owner (null for memory nobody counts), whose reference the view held; it goes to the worklist.
        define void @nrt_release_view(ptr %data, i64 %size, ptr %info, ptr %worklist) {
          call void @nrt_release_deferred(ptr %info, ptr %worklist)
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

        ; The destructor of an array of structs that hold references: %info is not a pointer but a word
        ; (StructElements.InfoOf): bit k < {{Words}} marks word k of an element as an instance
        ; (a MemInfo), bit {{Words}} + k as an array (a descriptor whose owner is released, null for a
        ; .NET array), the top 16 bits the element's size in words. Each reference goes to the worklist.
        define void @nrt_release_struct_elements(ptr %data, i64 %size, ptr %info, ptr %worklist) {
        entry:
          %lengthp = getelementptr inbounds i8, ptr %data, i64 {{DescriptorLayout.Length}}
          %length = load i64, ptr %lengthp, align 8
          %elementsp = getelementptr inbounds i8, ptr %data, i64 {{DescriptorLayout.Data}}
          %elements = load ptr, ptr %elementsp, align 8
          %bits = ptrtoint ptr %info to i64
          %stride = lshr i64 %bits, 48
          %masks = and i64 %bits, {{(1L << (2 * Words)) - 1}}
          %empty = icmp sle i64 %length, 0
          %nomask = icmp eq i64 %masks, 0
          %skip = or i1 %empty, %nomask
          br i1 %skip, label %done, label %element
        element:
          %i = phi i64 [ 0, %entry ], [ %nexti, %elementdone ]
          %offset = mul i64 %i, %stride
          %base = getelementptr inbounds ptr, ptr %elements, i64 %offset
          br label %word
        word:
          %left = phi i64 [ %masks, %element ], [ %rest, %released ]
          %k = call i64 @llvm.cttz.i64(i64 %left, i1 true)
          %isarray = icmp uge i64 %k, {{Words}}
          %arrayk = sub i64 %k, {{Words}}
          %w = select i1 %isarray, i64 %arrayk, i64 %k
          %at = getelementptr inbounds ptr, ptr %base, i64 %w
          %ref = load ptr, ptr %at, align 8
          %isnull = icmp eq ptr %ref, null
          br i1 %isnull, label %released, label %kind
        kind:
          br i1 %isarray, label %owner, label %release
        owner:
          %ownerp = getelementptr inbounds i8, ptr %ref, i64 {{DescriptorLayout.Owner}}
          %arrayowner = load ptr, ptr %ownerp, align 8
          br label %release
        release:
          %mi = phi ptr [ %ref, %kind ], [ %arrayowner, %owner ]
          call void @nrt_release_deferred(ptr %mi, ptr %worklist)
          br label %released
        released:
          %less = sub i64 %left, 1
          %rest = and i64 %left, %less
          %morewords = icmp ne i64 %rest, 0
          br i1 %morewords, label %word, label %elementdone
        elementdone:
          %nexti = add i64 %i, 1
          %more = icmp slt i64 %nexti, %length
          br i1 %more, label %element, label %done
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
          %tagp = getelementptr inbounds %MemInfo, ptr %cur, i32 0, i32 1
          %tag = load ptr, ptr %tagp, align 8
          %tagbits = ptrtoint ptr %tag to i64
          %fullbit = and i64 %tagbits, 1
          %isfull = icmp ne i64 %fullbit, 0
          br i1 %isfull, label %full, label %instance
        instance:
          ; A jit-class instance: the class record gives the destructor and the size. A tracked one leaves the
          ; collector's view first: a pooled one (in a tracked slab) by its tag, cleared below; any other leaves
          ; its stripe's list, its block starting at its prefix.
          %mode = and i64 %tagbits, 6
          %lowbits = and i64 %tagbits, 14
          %neglow = sub i64 0, %lowbits
          %class = getelementptr i8, ptr %tag, i64 %neglow
          %trackbit = and i64 %tagbits, {{TrackedBit}}
          %istracked = icmp ne i64 %trackbit, 0
          %ipooled = icmp eq i64 %mode, 2
          %inotpooled = xor i1 %ipooled, true
          %ilisted = and i1 %istracked, %inotpooled
          br i1 %ilisted, label %iuntrack, label %isized
        iuntrack:
          call void @nrt_untrack(ptr %cur)
          br label %isized
        isized:
          %idtor = load ptr, ptr %class, align 8
          %isizep = getelementptr inbounds i8, ptr %class, i64 8
          %isize = load i64, ptr %isizep, align 8
          %idata = getelementptr inbounds i8, ptr %cur, i64 {{HeaderSize}}
          %ihasdtor = icmp ne ptr %idtor, null
          br i1 %ihasdtor, label %icalldtor, label %irelease
        icalldtor:
          call void %idtor(ptr %idata, i64 %isize, ptr null, ptr %list)
          br label %irelease
        irelease:
          call void @nrt_debug_trace(i32 4, ptr %cur)
          call void @nrt_debug_fill(ptr %idata, i64 %isize, i8 -34)
          %iisexternal = icmp eq i64 %mode, 4
          %iuntracked = select i1 %iisexternal, i64 {{HeaderSize}}, i64 0
          %iprefix = select i1 %ilisted, i64 {{TrackedPrefix}}, i64 %iuntracked
          %inegprefix = sub i64 0, %iprefix
          %ibase = getelementptr i8, ptr %cur, i64 %inegprefix
          br i1 %ipooled, label %ito.pool, label %ifree
        ito.pool:
          %itagp = getelementptr inbounds i8, ptr %cur, i64 8
          store ptr null, ptr %itagp, align 8
          %iclasses = select i1 %istracked, i64 {{TrackedClasses}}, i64 0
          %itotal = add i64 %isize, {{HeaderSize}}
          call void @nrt_pool_give(ptr %thepool, ptr %cur, i64 %itotal, i64 %iclasses)
          call void @nrt_pool_count(ptr %thepool, i32 1)
          br label %loop
        ifree:
          br i1 %iisexternal, label %ito.external, label %ito.libc
        ito.external:
          %islot = getelementptr inbounds i8, ptr %cur, i64 -{{HeaderSize}}
          %iallocator = load ptr, ptr %islot, align 8
          call void @nrt_deallocate_raw(ptr %ibase, ptr %iallocator)
          call void @nrt_count(i64 {{NrtState.InlineFree}})
          br label %loop
        ito.libc:
          call void @nrt_deallocate_raw(ptr %ibase, ptr null)
          call void @nrt_count(i64 {{NrtState.InlineFree}})
          br label %loop
        full:
          %dtor = getelementptr i8, ptr %tag, i64 -1
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
          call void @nrt_pool_give(ptr %thepool, ptr %cur, i64 %total, i64 0)
          call void @nrt_pool_count(ptr %thepool, i32 1)
          br label %loop
        to.allocator:
          %markbits = and i64 %bits, 3
          %negbits = sub i64 0, %markbits
          %realalloc = getelementptr i8, ptr %marked, i64 %negbits
          call void @nrt_deallocate_raw(ptr %cur, ptr %realalloc)
          br i1 %isinline, label %count.inline, label %count.separate
        count.inline:
          call void @nrt_count(i64 {{NrtState.InlineFree}})
          br label %loop
        count.separate:
          call void @nrt_count(i64 {{NrtState.MiFree}})
          call void @nrt_count(i64 {{NrtState.Free}})
          br label %loop
        done:
          ret void
        }

        """;
}
