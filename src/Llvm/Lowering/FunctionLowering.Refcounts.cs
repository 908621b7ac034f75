using Targets.Frontend.Ir;
using Targets.Llvm.Interop;
using Targets.Runtime;

namespace Targets.Llvm.Lowering;

/// <summary>Reference counting in lowered code: increfs and decrefs of arrays and instances, inlined with the runtime's semantics.</summary>
internal sealed unsafe partial class FunctionLowering
{
    /// <summary>
    /// Increfs or decrefs an instance (its MemInfo) or the owner of an array descriptor; nothing for
    /// null (and the runtime skips null owners: .NET arrays).
    /// </summary>
    void Refcount(LLVMValueRef descriptor, IrType type, string runtimeFunction)
    {
        if (type.Kind == IrTypeKind.Instance)
        {
            RefcountMemInfo(descriptor, runtimeFunction);
            return;
        }
        LLVMBasicBlockRef act = LlvmApi.LLVMAppendBasicBlockInContext(Context, function, "refcount");
        LLVMBasicBlockRef done = LlvmApi.LLVMAppendBasicBlockInContext(Context, function, "refcount.done");
        LLVMValueRef isNull = LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.EQ, descriptor, LlvmApi.LLVMConstNull(t.Ptr), "");
        LlvmApi.LLVMBuildCondBr(b, isNull, done, act);
        LlvmApi.LLVMPositionBuilderAtEnd(b, act);
        RefcountMemInfo(LoadDescriptorField(t.Ptr, descriptor, NativeAbi.DescriptorOwner), runtimeFunction);
        LlvmApi.LLVMBuildBr(b, done);
        LlvmApi.LLVMPositionBuilderAtEnd(b, done);
    }

    /// <summary>
    /// nrt_incref/nrt_decref on a MemInfo (or null), inlined: the atomic operation in place, the
    /// destructor call only when a decref reaches zero, and the runtime's own function whenever
    /// debug mode is on (it traces and checks). The same orderings as the runtime: relaxed
    /// increment, release decrement, acquire before destruction; a count of 1 (the last
    /// reference) is destroyed after an acquire load, without the atomic decrement.
    /// </summary>
    void RefcountMemInfo(LLVMValueRef memInfo, string runtimeFunction)
    {
        bool increment = runtimeFunction == NrtRuntimeIr.Incref;
        LLVMBasicBlockRef check = LlvmApi.LLVMAppendBasicBlockInContext(Context, function, "rc.check");
        LLVMBasicBlockRef slow = LlvmApi.LLVMAppendBasicBlockInContext(Context, function, "rc.debug");
        LLVMBasicBlockRef fast = LlvmApi.LLVMAppendBasicBlockInContext(Context, function, "rc.fast");
        LLVMBasicBlockRef done = LlvmApi.LLVMAppendBasicBlockInContext(Context, function, "rc.done");
        LlvmApi.LLVMBuildCondBr(b, LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.EQ, memInfo, LlvmApi.LLVMConstNull(t.Ptr), ""), done, check);

        LlvmApi.LLVMPositionBuilderAtEnd(b, check);
        LLVMValueRef flags = LlvmApi.LLVMBuildLoad2(b, t.I64, ByteOffset(module.NrtState, NrtState.Flags * 8), "");
        LlvmApi.LLVMSetOrdering(flags, LLVMAtomicOrdering.Monotonic);
        LlvmApi.LLVMSetAlignment(flags, 8);
        LLVMValueRef debug = LlvmApi.LLVMBuildAnd(b, flags, Int64(NrtState.DebugOn), "");
        LlvmApi.LLVMBuildCondBr(b, LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.NE, debug, Int64(0), ""), slow, fast);

        LlvmApi.LLVMPositionBuilderAtEnd(b, slow);
        module.CallRuntime(b, runtimeFunction, t.Void, memInfo);
        LlvmApi.LLVMBuildBr(b, done);

        LlvmApi.LLVMPositionBuilderAtEnd(b, fast);
        if (increment)
        {
            LlvmApi.LLVMBuildAtomicRMW(b, LLVMAtomicRMWBinOp.Add, memInfo, Int64(1), LLVMAtomicOrdering.Monotonic, 0);
            LlvmApi.LLVMBuildBr(b, done);
        }
        else
        {
            // Count 1 is our own reference and no other thread can reach the object to share it: the
            // acquire load alone decides, with no atomic write (trees and temporaries die this way).
            LLVMBasicBlockRef shared = LlvmApi.LLVMAppendBasicBlockInContext(Context, function, "rc.shared");
            LLVMBasicBlockRef last = LlvmApi.LLVMAppendBasicBlockInContext(Context, function, "rc.last");
            LLVMBasicBlockRef destroy = LlvmApi.LLVMAppendBasicBlockInContext(Context, function, "rc.destroy");
            LLVMValueRef count = LlvmApi.LLVMBuildLoad2(b, t.I64, memInfo, "");
            LlvmApi.LLVMSetOrdering(count, LLVMAtomicOrdering.Acquire);
            LlvmApi.LLVMSetAlignment(count, 8);
            LlvmApi.LLVMBuildCondBr(b, LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.EQ, count, Int64(1), ""), destroy, shared);
            LlvmApi.LLVMPositionBuilderAtEnd(b, shared);
            LLVMValueRef old = LlvmApi.LLVMBuildAtomicRMW(b, LLVMAtomicRMWBinOp.Sub, memInfo, Int64(1), LLVMAtomicOrdering.Release, 0);
            LlvmApi.LLVMBuildCondBr(b, LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.EQ, old, Int64(1), ""), last, done);
            LlvmApi.LLVMPositionBuilderAtEnd(b, last);
            LlvmApi.LLVMBuildFence(b, LLVMAtomicOrdering.Acquire, 0, "");
            LlvmApi.LLVMBuildBr(b, destroy);
            LlvmApi.LLVMPositionBuilderAtEnd(b, destroy);
            module.CallRuntime(b, NrtRuntimeIr.CallDtor, t.Void, memInfo);
            LlvmApi.LLVMBuildBr(b, done);
        }
        LlvmApi.LLVMPositionBuilderAtEnd(b, done);
    }
}
