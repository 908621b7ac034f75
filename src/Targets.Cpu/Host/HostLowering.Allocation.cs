using System.Runtime.CompilerServices;
using Targets.Llvm.Interop;
using Targets.Llvm.Lowering;
using Targets.Runtime;

namespace Targets.Cpu.Host;

/// <summary>
/// Allocation and freeing of jit-class instances (and of small arrays' blocks) in host code. An instance is a compact header
/// (<see cref="NrtRuntimeIr.HeaderSize"/> bytes: the count and a tag pointing to the class record
/// beside its destructor, see <see cref="InstanceDestructors"/>) with the zeroed data right after it.
/// Unchecked code pops a block from the calling thread's pool inline, and pushes a dead instance
/// back inline when it holds no references — the size class chosen here, the runtime's own pool,
/// counts and marks, so either side can be the runtime's. Whenever the inline path does not apply
/// it calls the runtime: for a new instance <c>nrt_instance_alloc</c> (pooling off, an external
/// allocator set, no pool or an empty class for this thread, an instance too big to pool), for a
/// dead one <c>nrt_meminfo_call_dtor</c> (a reference field set, another class's or a non-pooled
/// block, pooling off, debug mode on, the class full). Checked code (compiled in debug mode) always calls the
/// runtime, so it traces and fills.
/// </summary>
public unsafe partial class HostLowering
{
    /// <summary>
    /// The low bits of a pooled instance's tag: bit 1, the block belongs to the pool; bit 3 for a class the cycle collector
    /// tracks, whose blocks come from the pool's tracked classes (see <see cref="NrtRuntimeIr.TrackedBit"/>).
    /// </summary>
    static int PooledTag(bool tracked) => tracked ? 2 | NrtRuntimeIr.TrackedBit : 2;

    /// <summary>Instances with more reference fields than this are freed by the runtime (the inline test for null fields would grow).</summary>
    const int InlineFreeReferenceFields = 4;

    /// <summary>A zeroed instance of <paramref name="layout"/> with one reference; null on failure.</summary>
    LLVMValueRef AllocateInstance(ModuleLowering m, LLVMBuilderRef b, JitClassType layout, FunctionLowering? f = null)
    {
        LlvmTypes t = m.Types;
        LLVMValueRef record = ClassRecord(m, layout);
        bool tracked = InstanceDestructors.IsTracked(layout);
        long total = layout.Size + NrtRuntimeIr.HeaderSize;
        if (checkedRefcounts || total > NrtRuntimeIr.PoolLimit)
            return m.Call(b, NrtRuntimeIr.InstanceAlloc, t.Ptr, record);

        var code = new PoolCode(m, b, f is null ? default : PoolCache(f));
        LLVMBasicBlockRef take = code.Block("alloc.take"), slow = code.Block("alloc.slow"), done = code.Block("alloc.done");
        LLVMValueRef head = code.Pop(code.I64(total), take, slow, tracked);
        code.Store(code.I64(1), head);
        code.Store(code.At(record, PooledTag(tracked)), code.At(head, 8));
        code.Zero(code.At(head, NrtRuntimeIr.HeaderSize), code.I64(layout.Size));
        return code.Join(head, take, slow, done, () => m.Call(b, NrtRuntimeIr.InstanceAlloc, t.Ptr, record));
    }

    /// <summary>
    /// Destroys <paramref name="instance"/> (of <paramref name="layout"/>, its count just dropped to
    /// zero): pushed back onto this thread's pool inline when it is this class's pooled block with
    /// every reference field null, else through the runtime. Ends in the builder's current block, at
    /// a point both paths reach.
    /// </summary>
    void FreeInstance(FunctionLowering f, LLVMValueRef instance, JitClassType layout)
    {
        LlvmTypes t = f.Types;
        LLVMBuilderRef b = f.Builder;
        bool tracked = InstanceDestructors.IsTracked(layout);
        long total = layout.Size + NrtRuntimeIr.HeaderSize;
        IReadOnlyList<JitReference> references = layout.References;
        if (total > NrtRuntimeIr.PoolLimit || references.Count > InlineFreeReferenceFields)
        {
            f.Module.Call(b, NrtRuntimeIr.CallDtor, t.Void, instance);
            return;
        }
        var code = new PoolCode(f.Module, b, PoolCache(f));
        LLVMBasicBlockRef check = code.Block("free.fields"), slow = code.Block("free.slow");
        // This class's record, pooled, not an external allocator's block.
        LLVMValueRef tag = code.Load(t.Ptr, code.At(instance, 8));
        LlvmApi.LLVMBuildCondBr(b, LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.EQ, tag, code.At(ClassRecord(f.Module, layout), PooledTag(tracked)), ""), check, slow);

        LlvmApi.LLVMPositionBuilderAtEnd(b, check);
        LLVMValueRef empty = LlvmApi.LLVMConstInt(t.I1, 1, 0);
        foreach (JitReference reference in references)
            empty = LlvmApi.LLVMBuildAnd(b, empty, code.IsNull(code.Load(t.Ptr, code.At(instance, NrtRuntimeIr.HeaderSize + reference.Offset))), "");
        LLVMBasicBlockRef pool = code.Block("free.pool");
        LlvmApi.LLVMBuildCondBr(b, empty, pool, slow);

        LlvmApi.LLVMPositionBuilderAtEnd(b, pool);
        PushOrDestroy(f, code, instance, code.I64(total), slow, tracked);
    }

    /// <summary>
    /// A zeroed MemInfo with <paramref name="bytes"/> of inline data and <paramref name="destructor"/>
    /// (an array's block); null on failure. Unchecked code pops a block of at most
    /// <see cref="NrtRuntimeIr.PoolLimit"/> bytes from the thread's pool inline and fills the MemInfo as
    /// <c>nrt_meminfo_alloc_zeroed</c> does (destructor plus one, data inline, marked inline and
    /// pooled); anything else calls that function.
    /// </summary>
    LLVMValueRef AllocateArrayBlock(FunctionLowering f, LLVMValueRef bytes, LLVMValueRef destructor)
    {
        LlvmTypes t = f.Types;
        LLVMBuilderRef b = f.Builder;
        if (checkedRefcounts)
            return f.Module.Call(b, NrtRuntimeIr.MemInfoAllocZeroed, t.Ptr, bytes, destructor);
        var code = new PoolCode(f.Module, b, PoolCache(f));
        LLVMBasicBlockRef small = code.Block("array.small"), take = code.Block("array.take"), slow = code.Block("array.slow"), done = code.Block("array.done");
        LLVMValueRef total = LlvmApi.LLVMBuildAdd(b, bytes, code.I64(NrtRuntimeIr.MemInfoSize), "");
        LlvmApi.LLVMBuildCondBr(b, LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.ULE, total, code.I64(NrtRuntimeIr.PoolLimit), ""), small, slow);

        LlvmApi.LLVMPositionBuilderAtEnd(b, small);
        LLVMValueRef head = code.Pop(total, take, slow);
        LLVMValueRef data = code.At(head, NrtRuntimeIr.MemInfoSize);
        code.Store(code.I64(1), head);
        code.Store(code.Tagged(destructor), code.At(head, NrtRuntimeIr.DtorOffset));
        code.Store(LlvmApi.LLVMConstNull(t.Ptr), code.At(head, NrtRuntimeIr.DtorInfoOffset));
        code.Store(data, code.At(head, NrtRuntimeIr.DataOffset));
        code.Store(bytes, code.At(head, NrtRuntimeIr.SizeOffset));
        code.Store(LlvmApi.LLVMConstIntToPtr(code.I64(InlinePooledLibc), t.Ptr), code.At(head, NrtRuntimeIr.AllocatorOffset));
        code.Zero(data, bytes);
        return code.Join(head, take, slow, done, () => f.Module.Call(b, NrtRuntimeIr.MemInfoAllocZeroed, t.Ptr, bytes, destructor));
    }

    /// <summary>
    /// Destroys a MemInfo that is not an instance's (an array's owner, its count just dropped to zero):
    /// pushed back onto this thread's pool inline when it has no destructor and its block is pooled
    /// from libc's memory, else through the runtime.
    /// </summary>
    void FreeBlock(FunctionLowering f, LLVMValueRef memInfo)
    {
        LlvmTypes t = f.Types;
        LLVMBuilderRef b = f.Builder;
        var code = new PoolCode(f.Module, b, PoolCache(f));
        LLVMBasicBlockRef pool = code.Block("block.pool"), slow = code.Block("block.slow");
        LLVMValueRef noDestructor = LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.EQ, code.Load(t.I64, code.At(memInfo, NrtRuntimeIr.DtorOffset)), code.I64(1), "");
        LLVMValueRef pooled = LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.EQ, code.Load(t.I64, code.At(memInfo, NrtRuntimeIr.AllocatorOffset)), code.I64(InlinePooledLibc), "");
        LlvmApi.LLVMBuildCondBr(b, LlvmApi.LLVMBuildAnd(b, noDestructor, pooled, ""), pool, slow);

        LlvmApi.LLVMPositionBuilderAtEnd(b, pool);
        LLVMValueRef total = LlvmApi.LLVMBuildAdd(b, code.Load(t.I64, code.At(memInfo, NrtRuntimeIr.SizeOffset)), code.I64(NrtRuntimeIr.MemInfoSize), "");
        PushOrDestroy(f, code, memInfo, total, slow);
    }

    /// <summary>
    /// The end of an inline free: pushes <paramref name="memInfo"/> (a dead block of <paramref name="total"/>
    /// bytes) onto this thread's pool unless the pool is unusable (see <see cref="PoolCode.ThreadPool"/>)
    /// or its size class full, where the runtime destroys it instead, as it does for every branch to
    /// <paramref name="slow"/>. A <paramref name="tracked"/> instance's block goes to the tracked classes, its tag
    /// cleared (the collector reads a live instance from a tag). Ends in the block both paths reach.
    /// </summary>
    static void PushOrDestroy(FunctionLowering f, PoolCode code, LLVMValueRef memInfo, LLVMValueRef total, LLVMBasicBlockRef slow, bool tracked = false)
    {
        LlvmTypes t = f.Types;
        LLVMBuilderRef b = f.Builder;
        LLVMBasicBlockRef push = code.Block("free.push"), done = code.Block("free.done");
        (LLVMValueRef pool, LLVMValueRef flags) = code.ThreadPool(slow, libcAllocator: false);
        (LLVMValueRef headSlot, LLVMValueRef heldSlot, LLVMValueRef classBytes) = code.SizeClass(pool, total, tracked);
        LLVMValueRef held = LlvmApi.LLVMBuildAdd(b, code.Load(t.I64, heldSlot), classBytes, "");
        LlvmApi.LLVMBuildCondBr(b, LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.UGT, held, code.I64(NrtRuntimeIr.PoolClassBytes), ""), slow, push);

        LlvmApi.LLVMPositionBuilderAtEnd(b, push);
        if (tracked)
            code.Store(LlvmApi.LLVMConstNull(t.Ptr), code.At(memInfo, 8));
        code.Store(code.Load(t.Ptr, headSlot), memInfo);
        code.Store(memInfo, headSlot);
        code.Store(held, heldSlot);
        code.Count(pool, flags, 1);
        LlvmApi.LLVMBuildBr(b, done);

        LlvmApi.LLVMPositionBuilderAtEnd(b, slow);
        f.Module.Call(b, NrtRuntimeIr.CallDtor, t.Void, memInfo);
        LlvmApi.LLVMBuildBr(b, done);
        LlvmApi.LLVMPositionBuilderAtEnd(b, done);
    }

    readonly ConditionalWeakTable<FunctionLowering, object> poolCaches = new();

    /// <summary>The function's slot for this thread's pool (null until the first inline allocation or free looks it up).</summary>
    LLVMValueRef PoolCache(FunctionLowering f) =>
        ((StrongBox<LLVMValueRef>)poolCaches.GetValue(f, fl => new StrongBox<LLVMValueRef>(fl.Alloca(fl.Types.Ptr, LlvmApi.LLVMConstNull(fl.Types.Ptr))))).Value;

    /// <summary>A MemInfo's allocator field for a block of libc's memory, data inline (bit 0), pooled (bit 1): the runtime's marks on a null table.</summary>
    const long InlinePooledLibc = 3;

    /// <summary>
    /// The class record of <paramref name="layout"/> (<c>{ ptr dtor, i64 size, i64 id, i64 depth, ptr interfaces, ptr references, ancestry… }</c>, defined beside its
    /// destructor, which outlives this module), declared in this module.
    /// </summary>
    LLVMValueRef ClassRecord(ModuleLowering m, JitClassType layout)
    {
        string name = InstanceDestructors.RecordOf(destructorOf(layout));
        LLVMValueRef existing = LlvmApi.LLVMGetNamedGlobal(m.Module.Handle, name);
        if (!existing.IsNull)
            return existing;
        LLVMValueRef record = LlvmApi.LLVMAddGlobal(m.Module.Handle, LlvmApi.LLVMArrayType2(m.Types.I64, NrtRuntimeIr.ClassRecordAncestry / 8), name);
        LlvmApi.LLVMSetGlobalConstant(record, 1);
        LlvmApi.LLVMSetAlignment(record, 16);
        return record;
    }

    /// <summary>The IR both inline paths are made of: the runtime's state and this thread's pool, read as the runtime reads them.</summary>
    readonly struct PoolCode(ModuleLowering m, LLVMBuilderRef b, LLVMValueRef cache = default)
    {
        readonly LlvmTypes t = m.Types;
        readonly LLVMValueRef function = LlvmApi.LLVMGetBasicBlockParent(LlvmApi.LLVMGetInsertBlock(b));

        public LLVMBasicBlockRef Block(string name) => LlvmApi.LLVMAppendBasicBlockInContext(m.Module.Context.Handle, function, name);

        public LLVMValueRef I64(long value) => LlvmApi.LLVMConstInt(t.I64, unchecked((ulong)value), 1);

        public LLVMValueRef At(LLVMValueRef pointer, long offset)
        {
            LLVMValueRef index = I64(offset);
            return LlvmApi.LLVMBuildInBoundsGEP2(b, t.I8, pointer, &index, 1, "");
        }

        public LLVMValueRef Load(LLVMTypeRef type, LLVMValueRef pointer, LLVMAtomicOrdering ordering = LLVMAtomicOrdering.NotAtomic)
        {
            LLVMValueRef value = LlvmApi.LLVMBuildLoad2(b, type, pointer, "");
            if (ordering != LLVMAtomicOrdering.NotAtomic)
                LlvmApi.LLVMSetOrdering(value, ordering);
            LlvmApi.LLVMSetAlignment(value, 8);
            return value;
        }

        public void Store(LLVMValueRef value, LLVMValueRef pointer, LLVMAtomicOrdering ordering = LLVMAtomicOrdering.NotAtomic)
        {
            LLVMValueRef store = LlvmApi.LLVMBuildStore(b, value, pointer);
            if (ordering != LLVMAtomicOrdering.NotAtomic)
                LlvmApi.LLVMSetOrdering(store, ordering);
            LlvmApi.LLVMSetAlignment(store, 8);
        }

        public void Add(LLVMValueRef pointer, LLVMValueRef amount) => Store(LlvmApi.LLVMBuildAdd(b, Load(t.I64, pointer), amount, ""), pointer);

        /// <summary>
        /// Pops a block of <paramref name="total"/> bytes (at most <see cref="NrtRuntimeIr.PoolLimit"/>) from this
        /// thread's pool for an allocation, counted as the runtime counts it; the builder is left at the end of
        /// <paramref name="take"/> with the block, and every case the pool cannot serve branches to <paramref name="slow"/>.
        /// </summary>
        public LLVMValueRef Pop(LLVMValueRef total, LLVMBasicBlockRef take, LLVMBasicBlockRef slow, bool tracked = false)
        {
            (LLVMValueRef pool, LLVMValueRef flags) = ThreadPool(slow, libcAllocator: true);
            (LLVMValueRef headSlot, LLVMValueRef heldSlot, LLVMValueRef classBytes) = SizeClass(pool, total, tracked);
            LLVMValueRef head = Load(t.Ptr, headSlot);
            LlvmApi.LLVMBuildCondBr(b, IsNull(head), slow, take);
            LlvmApi.LLVMPositionBuilderAtEnd(b, take);
            Store(Load(t.Ptr, head), headSlot);
            Add(heldSlot, LlvmApi.LLVMBuildNeg(b, classBytes, ""));
            Count(pool, flags, 0);
            return head;
        }

        /// <summary>Zeroes <paramref name="size"/> bytes at <paramref name="pointer"/> (a constant size becomes stores).</summary>
        public void Zero(LLVMValueRef pointer, LLVMValueRef size) =>
            m.Call(b, "llvm.memset.p0.i64", t.Void, pointer, LlvmApi.LLVMConstInt(t.I8, 0, 0), size, LlvmApi.LLVMConstInt(t.I1, 0, 0));

        /// <summary>
        /// Ends the inline path (the builder is at the end of <paramref name="take"/>, which made
        /// <paramref name="inline"/>), fills <paramref name="slow"/> with <paramref name="call"/>, and joins
        /// both in <paramref name="done"/>: the result is whichever made the block.
        /// </summary>
        public LLVMValueRef Join(LLVMValueRef inline, LLVMBasicBlockRef take, LLVMBasicBlockRef slow, LLVMBasicBlockRef done, Func<LLVMValueRef> call)
        {
            LlvmApi.LLVMBuildBr(b, done);
            LlvmApi.LLVMPositionBuilderAtEnd(b, slow);
            LLVMValueRef called = call();
            LlvmApi.LLVMBuildBr(b, done);
            LlvmApi.LLVMPositionBuilderAtEnd(b, done);
            return Phi(inline, take, called, slow);
        }

        /// <summary>A pointer that is <paramref name="first"/> coming from <paramref name="from"/>, <paramref name="second"/> coming from <paramref name="orFrom"/>.</summary>
        LLVMValueRef Phi(LLVMValueRef first, LLVMBasicBlockRef from, LLVMValueRef second, LLVMBasicBlockRef orFrom)
        {
            LLVMValueRef result = LlvmApi.LLVMBuildPhi(b, t.Ptr, "");
            LLVMValueRef* values = stackalloc LLVMValueRef[] { first, second };
            LLVMBasicBlockRef* blocks = stackalloc LLVMBasicBlockRef[] { from, orFrom };
            LlvmApi.LLVMAddIncoming(result, values, blocks, 2);
            return result;
        }

        /// <summary>A destructor's address plus one (it may be null, so not an in-bounds offset): what a MemInfo's field 1 holds.</summary>
        public LLVMValueRef Tagged(LLVMValueRef destructor)
        {
            LLVMValueRef one = I64(1);
            return LlvmApi.LLVMBuildGEP2(b, t.I8, destructor, &one, 1, "");
        }

        public LLVMValueRef IsNull(LLVMValueRef pointer) => LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.EQ, pointer, LlvmApi.LLVMConstNull(t.Ptr), "");

        /// <summary>
        /// This thread's pool, in a block where it exists, pooling is on and, for an allocation
        /// (<paramref name="libcAllocator"/>), no external allocator is set, for a free debug mode is off
        /// — all of which may change while code runs — else a branch to <paramref name="slow"/>; and the
        /// flags read for it.
        /// </summary>
        public (LLVMValueRef Pool, LLVMValueRef Flags) ThreadPool(LLVMBasicBlockRef slow, bool libcAllocator)
        {
            LLVMValueRef state = State(m);
            LLVMValueRef flags = Load(t.I64, At(state, NrtState.Flags * 8), LLVMAtomicOrdering.Monotonic);
            // Allocation: pooling on. Freeing: pooling on and debug mode off, so that memory freed in debug
            // mode is poisoned by the runtime even when the code that frees it was compiled before.
            long mask = NrtState.PoolOn | (libcAllocator ? 0 : NrtState.DebugOn);
            LLVMValueRef plain = LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.EQ, LlvmApi.LLVMBuildAnd(b, flags, I64(mask), ""), I64(NrtState.PoolOn), "");
            if (libcAllocator)
                plain = LlvmApi.LLVMBuildAnd(b, plain, IsNull(Load(t.Ptr, At(state, NrtState.Allocator * 8), LLVMAtomicOrdering.Monotonic)), "");
            LLVMBasicBlockRef cached = Block("pool.cached"), key = Block("pool.key"), lookup = Block("pool.lookup"), found = Block("pool.found");
            LlvmApi.LLVMBuildCondBr(b, plain, cache.IsNull ? key : cached, slow);

            // A thread's pool, once it has one, is its pool for life: one lookup serves the rest of the call.
            LlvmApi.LLVMPositionBuilderAtEnd(b, cached);
            LLVMValueRef known = cache.IsNull ? LlvmApi.LLVMConstNull(t.Ptr) : Load(t.Ptr, cache);
            LlvmApi.LLVMBuildCondBr(b, IsNull(known), key, found);

            LlvmApi.LLVMPositionBuilderAtEnd(b, key);
            LLVMValueRef stored = Load(t.I64, At(state, NrtState.PoolKey * 8), LLVMAtomicOrdering.Acquire);
            LlvmApi.LLVMBuildCondBr(b, LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.EQ, stored, I64(0), ""), slow, lookup);

            LlvmApi.LLVMPositionBuilderAtEnd(b, lookup);
            LLVMValueRef pthreadKey = LlvmApi.LLVMBuildTrunc(b, LlvmApi.LLVMBuildSub(b, stored, I64(1), ""), t.I32, "");
            LLVMValueRef pool = m.Call(b, "pthread_getspecific", t.Ptr, pthreadKey);
            // It reads only the thread's own key table, which compiled code never writes (the runtime's
            // calls may, and are calls): LLVM may then reuse one lookup for the next allocation or free.
            Attribute(pool, "memory", InaccessibleMemoryRead);
            Attribute(pool, "nounwind", 0);
            Attribute(pool, "willreturn", 0);
            LLVMBasicBlockRef keep = Block("pool.keep");
            LlvmApi.LLVMBuildCondBr(b, IsNull(pool), slow, keep);
            LlvmApi.LLVMPositionBuilderAtEnd(b, keep);
            if (!cache.IsNull)
                Store(pool, cache);
            LlvmApi.LLVMBuildBr(b, found);

            LlvmApi.LLVMPositionBuilderAtEnd(b, found);
            return (Phi(known, cached, pool, keep), flags);
        }

        /// <summary>LLVM's <c>memory(inaccessiblemem: read)</c>: reads (1) of location kind 1, two bits per kind.</summary>
        const ulong InaccessibleMemoryRead = 1 << 2;

        void Attribute(LLVMValueRef call, string name, ulong value)
        {
            byte[] bytes = System.Text.Encoding.ASCII.GetBytes(name);
            uint kind;
            fixed (byte* n = bytes)
                kind = LlvmApi.LLVMGetEnumAttributeKindForName(n, (nuint)bytes.Length);
            LlvmApi.LLVMAddCallSiteAttribute(call, -1, LlvmApi.LLVMCreateEnumAttribute(m.Module.Context.Handle, kind, value));
        }

        /// <summary>
        /// The free-list head and held-bytes slots of the size class of a block of <paramref name="total"/> bytes (at most
        /// <see cref="NrtRuntimeIr.PoolLimit"/>; of the tracked classes for a <paramref name="tracked"/> instance), and the class's block size.
        /// </summary>
        public (LLVMValueRef Head, LLVMValueRef Held, LLVMValueRef ClassBytes) SizeClass(LLVMValueRef pool, LLVMValueRef total, bool tracked = false)
        {
            LLVMValueRef sizeClass = LlvmApi.LLVMBuildLShr(b, LlvmApi.LLVMBuildSub(b, total, I64(1), ""), I64(4), "");
            LLVMValueRef offset = LlvmApi.LLVMBuildShl(b, LlvmApi.LLVMBuildAdd(b, sizeClass, I64(tracked ? NrtRuntimeIr.TrackedClasses : 0), ""), I64(3), "");
            LLVMValueRef head = LlvmApi.LLVMBuildGEP2(b, t.I8, At(pool, NrtRuntimeIr.PoolHeads), &offset, 1, "");
            LLVMValueRef held = LlvmApi.LLVMBuildGEP2(b, t.I8, At(pool, NrtRuntimeIr.PoolHeld), &offset, 1, "");
            return (head, held, LlvmApi.LLVMBuildShl(b, LlvmApi.LLVMBuildAdd(b, sizeClass, I64(1), ""), I64(4), ""));
        }

        /// <summary>
        /// Counts a pooled allocation (<paramref name="which"/> 0) or free (1) in the thread's own pool when
        /// statistics are on: only this thread writes it (readers sum every pool's), so a load and a
        /// release store, as the runtime does, adding the flags' statistics bit.
        /// </summary>
        public void Count(LLVMValueRef pool, LLVMValueRef flags, int which)
        {
            LLVMValueRef slot = At(pool, NrtRuntimeIr.PoolCounts + which * 8);
            LLVMValueRef counted = LlvmApi.LLVMBuildAdd(b, Load(t.I64, slot, LLVMAtomicOrdering.Monotonic), LlvmApi.LLVMBuildAnd(b, flags, I64(NrtState.StatsOn), ""), "");
            Store(counted, slot, LLVMAtomicOrdering.Release);
        }
    }
}
