namespace Targets.Runtime;

/// <summary>
/// The NRT runtime as LLVM IR text, added once to every JIT (and linkable into any module).
/// Guarantees: atomic reference counts (increment relaxed; decrement release, then acquire before
/// destruction, as C++ shared_ptr); a destructor runs exactly once; destruction is iterative (a
/// destructor hands dead children to a worklist instead of recursing, so a 10,000,000-node chain
/// cannot overflow the stack); allocation failure returns null to the caller, never aborts;
/// counters, debug fills (0xCB new, 0xDE freed), tracing and the decref-below-zero check are
/// switched by flags in <see cref="NrtState"/> at run time, not compile time; no call that may take
/// a lock outside compiled code (malloc, free, pthread keys, the trace) starts with less than
/// <see cref="StackReserve"/> bytes of stack, so running out of stack ends as .NET's own stack
/// overflow does instead of deadlocking in the fault handler.
/// <para>MemInfo: <c>{ i64 refct, ptr dtor, ptr dtor_info, ptr data, i64 size, ptr allocator }</c>
/// (48 bytes; data of NRT-owned allocations follows it in the same block; the dtor field holds the
/// destructor's address plus one). A jit-class instance has a compact header instead,
/// <c>{ i64 refct, ptr tag }</c> (<see cref="HeaderSize"/>), its data right after it, the tag pointing to
/// its class's record <c>{ ptr dtor, i64 size, … }</c> (bit 0 clear: that is how the runtime tells the two
/// apart; bits 1 and 2 say how the block was allocated, bit 3 that the cycle collector tracks it, see <see cref="TrackedBit"/>). Both are "MemInfos" to reference counting,
/// which only touches field 0. A destructor is
/// <c>void dtor(ptr data, i64 size, ptr info, ptr worklist)</c>; it releases children with
/// <c>nrt_release_deferred(child, worklist)</c>.</para>
/// <para>External symbols it needs: <c>nrt_state</c> (the <see cref="NrtState"/> block),
/// <c>nrt_trace(i32 op, ptr meminfo, i64 refct)</c> (debug tracing), <c>malloc</c>, <c>calloc</c>, <c>free</c>, <c>pthread_key_create</c>/<c>_delete</c>/<c>getspecific</c>/<c>setspecific</c>.</para>
/// <para>A JIT holding this module must live as long as the process: the first module to need a
/// pool creates the process's pthread key with its own <c>nrt_pool_free</c> as the key's destructor,
/// which threads call when they exit (the cpu target's shared JIT is never disposed).</para>
/// </summary>
public static partial class NrtRuntimeIr
{
    /// <summary>Size of a MemInfo header.</summary>
    public const int MemInfoSize = 48;

    /// <summary>
    /// Size of a jit-class instance's header (<c>{ i64 refct, ptr tag }</c>, data right after it): the
    /// tag points to the class's record <c>{ ptr dtor, i64 size }</c>, shared by its instances.
    /// </summary>
    public const int HeaderSize = 16;

    /// <summary>
    /// Offsets in a class record: the class's id, its depth in its hierarchy, its interfaces (a pointer to
    /// <c>{ i64 count, i64 ids[count] }</c>), its references (null for a class whose instances are not tracked, else
    /// a pointer to <c>{ i64 count, i64 offsets[count] }</c>: where in the data its instance fields are, for the
    /// cycle collector), and its ancestry (the ids from the root down to itself, <c>depth + 1</c> of them). The tag's
    /// low four bits are the runtime's (records are 16-aligned).
    /// </summary>
    public const int ClassRecordId = 16, ClassRecordDepth = 24, ClassRecordInterfaces = 32, ClassRecordReferences = 40, ClassRecordAncestry = 48, TagBits = 15;

    /// <summary>
    /// Tag bit 3: the instance is tracked by the cycle collector. A pooled one (tag bit 1) lives in a block of the
    /// tracked size classes (<see cref="TrackedClasses"/>), whose slabs are zeroed when made and listed in
    /// <see cref="NrtState.TrackedSlabs"/>, and whose tag is cleared when it dies: the collector finds the live ones by
    /// walking those slabs, at no cost to allocation. Any other (pooling off, an external allocator, too big to pool)
    /// starts <see cref="TrackedPrefix"/> bytes before its header, <c>{ ptr next, ptr pprev, ptr allocator, ptr stripe }</c>
    /// (the next instance of its stripe's list, the address of the pointer to it, the external allocator's table where
    /// one made the block, the stripe), and is linked into a list of <see cref="NrtState.Stripes"/>.
    /// </summary>
    public const int TrackedBit = 8, TrackedPrefix = 32;

    /// <summary>Field offsets in a MemInfo.</summary>
    public const int RefCountOffset = 0, DtorOffset = 8, DtorInfoOffset = 16, DataOffset = 24, SizeOffset = 32, AllocatorOffset = 40;

    /// <summary>Stack every call out of compiled code that may take a lock (malloc, free, pthread keys) finds free: see <c>nrt_stack_reserve</c>.</summary>
    public const int StackReserve = 32 << 10;

    /// <summary>Blocks (MemInfo plus inline data) up to this size come from the per-thread pool.</summary>
    public const int PoolLimit = 256;

    /// <summary>
    /// Size classes of the pool (16-byte steps up to <see cref="PoolLimit"/>), twice over: classes from
    /// <see cref="TrackedClasses"/> on hold only instances the cycle collector tracks, in slabs it can walk (see
    /// <see cref="TrackedBit"/>); <see cref="AllClasses"/> in all.
    /// </summary>
    public const int PoolClasses = PoolLimit / 16, TrackedClasses = PoolClasses, AllClasses = 2 * PoolClasses;

    /// <summary>
    /// Byte offsets in a per-thread pool (<c>%Pool</c>): each class's free-list head, the bytes each class
    /// holds, the thread's pooled allocation and free counts.
    /// </summary>
    public const int PoolHeads = 0, PoolHeld = AllClasses * 8, PoolCounts = AllClasses * 16;

    /// <summary>At most this many bytes per size class stay pooled in one thread (beyond, freed blocks go to the process's overflow store).</summary>
    public const long PoolClassBytes = 16L << 20;

    /// <summary>An empty size class with nothing in the overflow store is refilled with one block of this many bytes from libc, carved into blocks of the class.</summary>
    public const int SlabBytes = 16 << 10;

    /// <summary>Trace operation codes passed to <c>nrt_trace</c>.</summary>
    public enum TraceOp { Alloc = 0, Incref = 1, Decref = 2, DecrefBelowZero = 3, Destroy = 4 }

    /// <summary>Names of the runtime's entry points.</summary>
    public const string Allocate = "nrt_allocate", Deallocate = "nrt_deallocate", MemInfoAlloc = "nrt_meminfo_alloc",
        MemInfoAllocDtor = "nrt_meminfo_alloc_dtor", MemInfoAllocZeroed = "nrt_meminfo_alloc_zeroed", MemInfoAllocAligned = "nrt_meminfo_alloc_aligned", MemInfoNew = "nrt_meminfo_new", InstanceAlloc = "nrt_instance_alloc",
        Incref = "nrt_incref", Decref = "nrt_decref", ReleaseDeferred = "nrt_release_deferred", CallDtor = "nrt_meminfo_call_dtor",
        State = "nrt_state", Trace = "nrt_trace", AdoptArray = "nrt_adopt_array", ReleaseElements = "nrt_release_elements",
        ReleaseStructElements = "nrt_release_struct_elements", ReleaseView = "nrt_release_view", CallGate = "nrt_call_gate";

    /// <summary>The whole runtime module: declarations, then the pools, allocation, and reference counting.</summary>
    public static string Text { get; } = Declarations + Pools + Allocation + Refcounts + Cycles + Gate;

    static string Declarations => $$"""
        ; Targets NRT runtime. State fields: 0 alloc, 1 free, 2 mi_alloc, 3 mi_free, 4 flags (1 stats, 2 debug),
        ; 5 external allocator { ptr malloc(i64, ptr), ptr free(ptr, ptr), ptr opaque }, 6 errors, 7 last error MemInfo,
        ; 8 inline_alloc, 9 inline_free: a MemInfo whose data shares its block is one allocation and one
        ; MemInfo, counted with one atomic add (field 8/9 count towards both), marked by bit 0 of its
        ; allocator field (allocator tables are pointer-aligned, so the bit is free); 10 the pthread key of the
        ; per-thread block pool, plus one (0: not created yet); 11 the registry of pools (a list, see %Pool);
        ; 12 the pthread key of the threads' stack limits, plus one (see StackLimits); 13 the overflow store's
        ; lock, {{NrtState.Overflow}}.. its lists by size class, {{NrtState.OverflowBytes}}.. their bytes.
        ; Pool: a block of at most {{PoolLimit}} bytes (header and inline data) comes from the calling thread's free list
        ; of its size class (16-byte steps) when pooling is on (flag 4) and no external allocator is set, and
        ; is marked (bit 1 of a MemInfo's allocator field, of an instance's tag); freed, it joins the freeing
        ; thread's list unless that class already holds {{PoolClassBytes}} bytes or pooling is off, then the
        ; overflow store. An empty class takes the store's blocks of its size, else a {{SlabBytes}}-byte slab
        ; from libc carved into blocks, so a class's blocks lie side by side whatever the state of libc's
        ; heap. Pooled blocks are never given back to libc (a slab cannot be, block by block): the memory
        ; pools hold is the peak of what was pooled. A thread that exits leaves its lists to the store.
        %MemInfo = type { i64, ptr, ptr, ptr, i64, ptr }
        %Allocator = type { ptr, ptr, ptr }

        @nrt_state = external global [{{NrtState.Fields}} x i64]

        declare ptr @malloc(i64)
        declare void @free(ptr)
        declare void @llvm.memset.p0.i64(ptr, i8, i64, i1)
        declare i64 @llvm.cttz.i64(i64, i1)
        declare void @nrt_trace(i32, ptr, i64)
        declare ptr @calloc(i64, i64)
        declare i32 @pthread_key_create(ptr, ptr)
        declare i32 @pthread_key_delete(i32)
        declare ptr @pthread_getspecific(i32)
        declare i32 @pthread_setspecific(i32, ptr)
        declare ptr @llvm.stacksave.p0()
        declare i64 @write(i32, ptr, i64)
        declare void @abort() noreturn
        @nrt_stack_message = private constant [16 x i8] c"Stack overflow.\0A"

        """;
}
