using Targets.Frontend.Ir;
using Targets.Llvm.Interop;
using Targets.Llvm.Lowering;
using Targets.Runtime;

namespace Targets.Cpu.Host;

/// <summary>Reference counting in host code: increfs and decrefs of arrays and instances, inlined with the NRT runtime's semantics.</summary>
public unsafe partial class HostLowering
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
            // An abstract class or an interface has no layout of its own: the instance's record says how to destroy it.
            RefcountMemInfo(f, value, increment, type.JitClass!.IsAbstract ? null : Layouts.Layout(type.JitClass), instance: true);
            return;
        }
        LLVMBuilderRef b = f.Builder;
        LLVMBasicBlockRef act = f.AppendBlock("refcount");
        LLVMBasicBlockRef done = f.AppendBlock("refcount.done");
        LLVMValueRef isNull = LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.EQ, value, LlvmApi.LLVMConstNull(f.Types.Ptr), "");
        LlvmApi.LLVMBuildCondBr(b, isNull, done, act);
        LlvmApi.LLVMPositionBuilderAtEnd(b, act);
        RefcountMemInfo(f, f.LoadDescriptorField(f.Types.Ptr, value, NativeAbi.DescriptorOwner), increment, null);
        LlvmApi.LLVMBuildBr(b, done);
        LlvmApi.LLVMPositionBuilderAtEnd(b, done);
    }

    /// <summary>
    /// nrt_incref/nrt_decref on a MemInfo (or null). Checked code (compiled in debug mode) calls
    /// the runtime's own functions, which trace and check; unchecked code inlines them with no
    /// debug branch: the atomic operation in place, the destructor call only when a decref reaches
    /// zero (freed inline where it can be, see <see cref="FreeInstance"/> and <see cref="FreeBlock"/>).
    /// The same orderings as the runtime: relaxed increment, release decrement, acquire
    /// before destruction; a count of 1 (the last reference) is destroyed after an acquire load,
    /// without the atomic decrement.
    /// </summary>
    void RefcountMemInfo(FunctionLowering f, LLVMValueRef memInfo, bool increment, JitClassType? instanceOf, bool instance = false)
    {
        LLVMBuilderRef b = f.Builder;
        Llvm.Lowering.LlvmTypes t = f.Types;
        if (checkedRefcounts)
        {
            f.Module.Call(b, increment ? NrtRuntimeIr.Incref : NrtRuntimeIr.Decref, t.Void, memInfo); // the runtime skips null
            return;
        }
        LLVMBasicBlockRef fast = f.AppendBlock("rc.fast");
        LLVMBasicBlockRef done = f.AppendBlock("rc.done");
        LlvmApi.LLVMBuildCondBr(b, LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.EQ, memInfo, LlvmApi.LLVMConstNull(t.Ptr), ""), done, fast);

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
            if (instanceOf is not null)
                FreeInstance(f, memInfo, instanceOf);
            else if (instance)
                f.Module.Call(b, NrtRuntimeIr.CallDtor, t.Void, memInfo);
            else
                FreeBlock(f, memInfo);
            LlvmApi.LLVMBuildBr(b, done);
        }
        LlvmApi.LLVMPositionBuilderAtEnd(b, done);
    }
}
