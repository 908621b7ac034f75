using Targets.Llvm.Interop;
using Targets.Llvm.Lowering;
using Targets.Runtime;

namespace Targets.Cpu.Host;

/// <summary>
/// Allocation of jit-class instances in host code. An instance is a compact header
/// (<see cref="NrtRuntimeIr.HeaderSize"/> bytes: the count and a tag pointing to the class record
/// beside its destructor, see <see cref="InstanceDestructors"/>) with the zeroed data right after it.
/// Unchecked code pops a block from the calling thread's pool inline — the size class chosen here,
/// the runtime's own pool, counts and marks, so the runtime frees it as one of its own — and calls
/// <c>nrt_instance_alloc</c> whenever that path does not apply: pooling off, an external allocator
/// set, no pool or an empty class for this thread, an instance too big to pool. Checked code (compiled
/// in debug mode) always calls it, so its allocations are traced.
/// </summary>
public sealed unsafe partial class HostLowering
{
    /// <summary>A zeroed instance of <paramref name="layout"/> with one reference; null on failure.</summary>
    LLVMValueRef AllocateInstance(ModuleLowering m, LLVMBuilderRef b, JitClassType layout)
    {
        LlvmTypes t = m.Types;
        LLVMValueRef record = ClassRecord(m, layout);
        long total = layout.Size + NrtRuntimeIr.HeaderSize;
        if (checkedRefcounts || total > NrtRuntimeIr.PoolLimit)
            return m.Call(b, NrtRuntimeIr.InstanceAlloc, t.Ptr, record);

        LLVMValueRef function = LlvmApi.LLVMGetBasicBlockParent(LlvmApi.LLVMGetInsertBlock(b));
        LLVMBasicBlockRef Block(string name) => LlvmApi.LLVMAppendBasicBlockInContext(m.Module.Context.Handle, function, name);
        LLVMValueRef I64(long value) => LlvmApi.LLVMConstInt(t.I64, unchecked((ulong)value), 1);
        LLVMValueRef At(LLVMValueRef pointer, long offset)
        {
            LLVMValueRef index = I64(offset);
            return LlvmApi.LLVMBuildInBoundsGEP2(b, t.I8, pointer, &index, 1, "");
        }
        LLVMValueRef Load(LLVMTypeRef type, LLVMValueRef pointer, LLVMAtomicOrdering ordering)
        {
            LLVMValueRef value = LlvmApi.LLVMBuildLoad2(b, type, pointer, "");
            if (ordering != LLVMAtomicOrdering.NotAtomic)
                LlvmApi.LLVMSetOrdering(value, ordering);
            LlvmApi.LLVMSetAlignment(value, 8);
            return value;
        }
        void Store(LLVMValueRef value, LLVMValueRef pointer, LLVMAtomicOrdering ordering = LLVMAtomicOrdering.NotAtomic)
        {
            LLVMValueRef store = LlvmApi.LLVMBuildStore(b, value, pointer);
            if (ordering != LLVMAtomicOrdering.NotAtomic)
                LlvmApi.LLVMSetOrdering(store, ordering);
            LlvmApi.LLVMSetAlignment(store, 8);
        }
        LLVMValueRef IsNull(LLVMValueRef pointer) => LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.EQ, pointer, LlvmApi.LLVMConstNull(t.Ptr), "");

        LLVMBasicBlockRef key = Block("alloc.key"), lookup = Block("alloc.pool"), pop = Block("alloc.pop"), take = Block("alloc.take");
        LLVMBasicBlockRef slow = Block("alloc.slow"), done = Block("alloc.done");
        LLVMValueRef state = State(m);

        // Pooling on and libc's allocator (both may change while code runs). Debug mode is not looked at:
        // code compiled in it is checked code, which never comes here, and compiled code keeps its mode.
        LLVMValueRef flags = Load(t.I64, At(state, NrtState.Flags * 8), LLVMAtomicOrdering.Monotonic);
        LLVMValueRef allocator = Load(t.Ptr, At(state, NrtState.Allocator * 8), LLVMAtomicOrdering.Monotonic);
        LLVMValueRef pooling = LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.NE, LlvmApi.LLVMBuildAnd(b, flags, I64(NrtState.PoolOn), ""), I64(0), "");
        LLVMValueRef plain = LlvmApi.LLVMBuildAnd(b, pooling, IsNull(allocator), "");
        LlvmApi.LLVMBuildCondBr(b, plain, key, slow);

        LlvmApi.LLVMPositionBuilderAtEnd(b, key);
        LLVMValueRef stored = Load(t.I64, At(state, NrtState.PoolKey * 8), LLVMAtomicOrdering.Acquire);
        LlvmApi.LLVMBuildCondBr(b, LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.EQ, stored, I64(0), ""), slow, lookup);

        LlvmApi.LLVMPositionBuilderAtEnd(b, lookup);
        LLVMValueRef pthreadKey = LlvmApi.LLVMBuildTrunc(b, LlvmApi.LLVMBuildSub(b, stored, I64(1), ""), t.I32, "");
        LLVMValueRef pool = m.Call(b, "pthread_getspecific", t.Ptr, pthreadKey);
        LlvmApi.LLVMBuildCondBr(b, IsNull(pool), slow, pop);

        LlvmApi.LLVMPositionBuilderAtEnd(b, pop);
        long sizeClass = (total - 1) >> 4, classBytes = (sizeClass + 1) << 4;
        LLVMValueRef headSlot = At(pool, NrtRuntimeIr.PoolHeads + sizeClass * 8);
        LLVMValueRef head = Load(t.Ptr, headSlot, LLVMAtomicOrdering.NotAtomic);
        LlvmApi.LLVMBuildCondBr(b, IsNull(head), slow, take);

        LlvmApi.LLVMPositionBuilderAtEnd(b, take);
        Store(Load(t.Ptr, head, LLVMAtomicOrdering.NotAtomic), headSlot);
        LLVMValueRef heldSlot = At(pool, NrtRuntimeIr.PoolHeld + sizeClass * 8);
        Store(LlvmApi.LLVMBuildSub(b, Load(t.I64, heldSlot, LLVMAtomicOrdering.NotAtomic), I64(classBytes), ""), heldSlot);
        // The thread's own allocation count (only this thread writes it; readers sum every pool's), plus one when statistics are on.
        LLVMValueRef countSlot = At(pool, NrtRuntimeIr.PoolCounts);
        LLVMValueRef count = Load(t.I64, countSlot, LLVMAtomicOrdering.Monotonic);
        LLVMValueRef counted = LlvmApi.LLVMBuildAdd(b, count, LlvmApi.LLVMBuildAnd(b, flags, I64(NrtState.StatsOn), ""), "");
        Store(counted, countSlot, LLVMAtomicOrdering.Release);
        Store(I64(1), head);
        LLVMValueRef pooledTag = At(record, 2); // bit 1: the block belongs to the pool
        Store(pooledTag, At(head, 8));
        m.Call(b, "llvm.memset.p0.i64", t.Void, At(head, NrtRuntimeIr.HeaderSize), LlvmApi.LLVMConstInt(t.I8, 0, 0), I64(layout.Size), LlvmApi.LLVMConstInt(t.I1, 0, 0));
        LlvmApi.LLVMBuildBr(b, done);

        LlvmApi.LLVMPositionBuilderAtEnd(b, slow);
        LLVMValueRef called = m.Call(b, NrtRuntimeIr.InstanceAlloc, t.Ptr, record);
        LlvmApi.LLVMBuildBr(b, done);

        LlvmApi.LLVMPositionBuilderAtEnd(b, done);
        LLVMValueRef result = LlvmApi.LLVMBuildPhi(b, t.Ptr, "");
        LLVMValueRef* values = stackalloc LLVMValueRef[] { head, called };
        LLVMBasicBlockRef* blocks = stackalloc LLVMBasicBlockRef[] { take, slow };
        LlvmApi.LLVMAddIncoming(result, values, blocks, 2);
        return result;
    }

    /// <summary>
    /// The class record of <paramref name="layout"/> (<c>{ ptr dtor, i64 size }</c>, defined beside its
    /// destructor, which outlives this module), declared in this module.
    /// </summary>
    LLVMValueRef ClassRecord(ModuleLowering m, JitClassType layout)
    {
        string name = InstanceDestructors.RecordOf(destructorOf(layout));
        LLVMValueRef existing = LlvmApi.LLVMGetNamedGlobal(m.Module.Handle, name);
        if (!existing.IsNull)
            return existing;
        LLVMValueRef record = LlvmApi.LLVMAddGlobal(m.Module.Handle, LlvmApi.LLVMArrayType2(m.Types.I64, 2), name);
        LlvmApi.LLVMSetGlobalConstant(record, 1);
        LlvmApi.LLVMSetAlignment(record, 16);
        return record;
    }
}
