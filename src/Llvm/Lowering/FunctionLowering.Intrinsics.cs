using Targets.Frontend.Ir;
using Targets.Llvm.Interop;

namespace Targets.Llvm.Lowering;

/// <summary>
/// <see cref="Opcode.Intrinsic"/>: atomics on an array element are LLVM's <c>atomicrmw</c> and
/// <c>cmpxchg</c> (sequentially consistent, bounds-checked like <c>a[i]</c>) on every target; grid
/// coordinates, barriers and shared arrays are the target's (<see cref="TargetLowering.Intrinsic"/>).
/// </summary>
public sealed unsafe partial class FunctionLowering
{
    LLVMValueRef Intrinsic(Instruction i)
    {
        if (!IntrinsicInfo.IsAtomic(i.Intrinsic))
            return module.Target.Intrinsic(this, i);
        IrType element = i.TargetType!;
        LLVMValueRef pointer = ElementPointer(i);
        LLVMValueRef value = ToMemory(V(i.Operands[2]), TypeOf(i.Operands[2]), element);
        LLVMValueRef old;
        if (i.Intrinsic == IntrinsicKind.AtomicCompareExchange)
        {
            LLVMValueRef comparand = ToMemory(V(i.Operands[3]), TypeOf(i.Operands[3]), element);
            LLVMValueRef pair = LlvmApi.LLVMBuildAtomicCmpXchg(b, pointer, comparand, value,
                LLVMAtomicOrdering.SequentiallyConsistent, LLVMAtomicOrdering.SequentiallyConsistent, 0);
            old = LlvmApi.LLVMBuildExtractValue(b, pair, 0, "");
        }
        else
        {
            LLVMAtomicRMWBinOp op = (i.Intrinsic, element.IsFloat, element.IsUnsigned) switch
            {
                (IntrinsicKind.AtomicAdd, true, _) => LLVMAtomicRMWBinOp.FAdd,
                (IntrinsicKind.AtomicAdd, false, _) => LLVMAtomicRMWBinOp.Add,
                (IntrinsicKind.AtomicMin, false, false) => LLVMAtomicRMWBinOp.Min,
                (IntrinsicKind.AtomicMin, false, true) => LLVMAtomicRMWBinOp.UMin,
                (IntrinsicKind.AtomicMax, false, false) => LLVMAtomicRMWBinOp.Max,
                (IntrinsicKind.AtomicMax, false, true) => LLVMAtomicRMWBinOp.UMax,
                (IntrinsicKind.AtomicExchange, _, _) => LLVMAtomicRMWBinOp.Xchg,
                _ => throw new InvalidOperationException($"no atomic {i.Intrinsic} on {element}"),
            };
            old = LlvmApi.LLVMBuildAtomicRMW(b, op, pointer, value, LLVMAtomicOrdering.SequentiallyConsistent, 0);
        }
        return ToStack(old, element);
    }
}
