using Targets.Frontend.Ir;
using Targets.Llvm.Interop;
using Targets.Llvm.Lowering;
using Targets.Runtime;

namespace Targets.Cpu.Host;

/// <summary>Reference counting in host code: increfs and decrefs of arrays and instances, inlined with the NRT runtime's semantics.</summary>
public sealed unsafe partial class HostLowering
{
    /// <summary>
    /// Increfs or decrefs an instance (its MemInfo) or the owner of an array descriptor; nothing for
    /// null (and the runtime skips null owners: .NET arrays).
    /// </summary>
    public override void Refcount(FunctionLowering f, LLVMValueRef value, IrType type, bool increment)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(type);
        if (type.Kind == IrTypeKind.Instance)
        {
            RefcountMemInfo(f, value, increment);
            return;
        }
        LLVMBuilderRef b = f.Builder;
        LLVMBasicBlockRef act = f.AppendBlock("refcount");
        LLVMBasicBlockRef done = f.AppendBlock("refcount.done");
        LLVMValueRef isNull = LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.EQ, value, LlvmApi.LLVMConstNull(f.Types.Ptr), "");
        LlvmApi.LLVMBuildCondBr(b, isNull, done, act);
        LlvmApi.LLVMPositionBuilderAtEnd(b, act);
        RefcountMemInfo(f, f.LoadDescriptorField(f.Types.Ptr, value, NativeAbi.DescriptorOwner), increment);
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
    static void RefcountMemInfo(FunctionLowering f, LLVMValueRef memInfo, bool increment)
    {
        LLVMBuilderRef b = f.Builder;
        Llvm.Lowering.LlvmTypes t = f.Types;
        LLVMBasicBlockRef check = f.AppendBlock("rc.check");
        LLVMBasicBlockRef slow = f.AppendBlock("rc.debug");
        LLVMBasicBlockRef fast = f.AppendBlock("rc.fast");
        LLVMBasicBlockRef done = f.AppendBlock("rc.done");
        LlvmApi.LLVMBuildCondBr(b, LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.EQ, memInfo, LlvmApi.LLVMConstNull(t.Ptr), ""), done, check);

        LlvmApi.LLVMPositionBuilderAtEnd(b, check);
        LLVMValueRef flags = LlvmApi.LLVMBuildLoad2(b, t.I64, f.ByteOffset(State(f.Module), NrtState.Flags * 8), "");
        LlvmApi.LLVMSetOrdering(flags, LLVMAtomicOrdering.Monotonic);
        LlvmApi.LLVMSetAlignment(flags, 8);
        LLVMValueRef debug = LlvmApi.LLVMBuildAnd(b, flags, f.Int64(NrtState.DebugOn), "");
        LlvmApi.LLVMBuildCondBr(b, LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.NE, debug, f.Int64(0), ""), slow, fast);

        LlvmApi.LLVMPositionBuilderAtEnd(b, slow);
        f.Module.Call(b, increment ? NrtRuntimeIr.Incref : NrtRuntimeIr.Decref, t.Void, memInfo);
        LlvmApi.LLVMBuildBr(b, done);

        LlvmApi.LLVMPositionBuilderAtEnd(b, fast);
        if (increment)
        {
            LlvmApi.LLVMBuildAtomicRMW(b, LLVMAtomicRMWBinOp.Add, memInfo, f.Int64(1), LLVMAtomicOrdering.Monotonic, 0);
            LlvmApi.LLVMBuildBr(b, done);
        }
        else
        {
            // Count 1 is our own reference and no other thread can reach the object to share it: the
            // acquire load alone decides, with no atomic write (trees and temporaries die this way).
            LLVMBasicBlockRef shared = f.AppendBlock("rc.shared");
            LLVMBasicBlockRef last = f.AppendBlock("rc.last");
            LLVMBasicBlockRef destroy = f.AppendBlock("rc.destroy");
            LLVMValueRef count = LlvmApi.LLVMBuildLoad2(b, t.I64, memInfo, "");
            LlvmApi.LLVMSetOrdering(count, LLVMAtomicOrdering.Acquire);
            LlvmApi.LLVMSetAlignment(count, 8);
            LlvmApi.LLVMBuildCondBr(b, LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.EQ, count, f.Int64(1), ""), destroy, shared);
            LlvmApi.LLVMPositionBuilderAtEnd(b, shared);
            LLVMValueRef old = LlvmApi.LLVMBuildAtomicRMW(b, LLVMAtomicRMWBinOp.Sub, memInfo, f.Int64(1), LLVMAtomicOrdering.Release, 0);
            LlvmApi.LLVMBuildCondBr(b, LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.EQ, old, f.Int64(1), ""), last, done);
            LlvmApi.LLVMPositionBuilderAtEnd(b, last);
            LlvmApi.LLVMBuildFence(b, LLVMAtomicOrdering.Acquire, 0, "");
            LlvmApi.LLVMBuildBr(b, destroy);
            LlvmApi.LLVMPositionBuilderAtEnd(b, destroy);
            f.Module.Call(b, NrtRuntimeIr.CallDtor, t.Void, memInfo);
            LlvmApi.LLVMBuildBr(b, done);
        }
        LlvmApi.LLVMPositionBuilderAtEnd(b, done);
    }
}
