using Targets.Frontend.Ir;
using Targets.Llvm.Interop;

namespace Targets.Llvm.Lowering;

/// <summary>
/// Arrays through their descriptors (<see cref="NativeAbi"/>): null checks, bounds checks per
/// dimension, row-major element addressing, and allocation of arrays created by compiled code.
/// </summary>
public sealed unsafe partial class FunctionLowering
{
    static readonly RaiseInfo NullReference = RaiseInfo.Of<NullReferenceException>();
    static readonly RaiseInfo IndexOutOfRange = RaiseInfo.Of<IndexOutOfRangeException>();
    static readonly RaiseInfo ArrayTooLarge = RaiseInfo.Of<OutOfMemoryException>("Array dimensions exceeded supported range.");

    LLVMValueRef CheckedDescriptor(ValueId array)
    {
        LLVMValueRef descriptor = V(array);
        LLVMValueRef isNull = LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.EQ, descriptor, LlvmApi.LLVMConstNull(t.Ptr), "");
        RaiseIf(isNull, NullReference, "null");
        return descriptor;
    }

    LLVMValueRef Index64(ValueId index) => FitInteger(V(index), TypeOf(index), t.I64, 64);

    /// <summary>The address of the element named by operands [array, index…], after null and bounds checks.</summary>
    LLVMValueRef ElementPointer(Instruction i)
    {
        IrType arrayType = TypeOf(i.Operands[0]);
        LLVMValueRef descriptor = i.BoundsChecked ? CheckedDescriptor(i.Operands[0]) : V(i.Operands[0]);
        LLVMValueRef linear;
        if (arrayType.Rank == 1)
        {
            linear = Index64(i.Operands[1]);
            if (i.BoundsChecked && TypeOf(i.Operands[1]) == IrType.I32)
            {
                // An int index is checked in 32 bits (the same answer: a negative one is above every length as unsigned):
                // the compare C#'s own (uint)i < (uint)a.Length makes, so LLVM folds one into the other (List<T>.Add's shape).
                CheckBound(V(i.Operands[1]), LlvmApi.LLVMBuildTrunc(b, VectorLength(descriptor), t.I32, ""));
            }
            else if (i.BoundsChecked)
            {
                CheckBound(linear, VectorLength(descriptor));
            }
        }
        else
        {
            linear = Int64(0);
            for (int d = 0; d < arrayType.Rank; d++)
            {
                LLVMValueRef extent = LoadDescriptorField(t.I64, descriptor, NativeAbi.DescriptorDimensions + 8 * d);
                LLVMValueRef index = Index64(i.Operands[1 + d]);
                if (i.BoundsChecked)
                    CheckBound(index, extent);
                linear = LlvmApi.LLVMBuildAdd(b, LlvmApi.LLVMBuildMul(b, linear, extent, ""), index, "");
            }
        }
        LLVMValueRef data = LoadDescriptorField(t.Ptr, descriptor, NativeAbi.DescriptorData);
        // Address with the array's own element type: ldelem.i4 on a uint[] reads the same bytes.
        return LlvmApi.LLVMBuildInBoundsGEP2(b, t.Memory(arrayType.Element!), data, &linear, 1, "");
    }

    /// <summary>The length of a one-dimensional array, known to LLVM to be at most .NET's <c>Array.MaxLength</c> (<see cref="ModuleLowering.LengthRange"/>).</summary>
    LLVMValueRef VectorLength(LLVMValueRef descriptor)
    {
        LLVMValueRef length = LoadDescriptorField(t.I64, descriptor, NativeAbi.DescriptorLength);
        LlvmApi.LLVMSetMetadata(length, module.RangeKind, module.LengthRange);
        return length;
    }

    void CheckBound(LLVMValueRef index, LLVMValueRef extent)
    {
        // One unsigned compare covers negative indices too.
        LLVMValueRef outside = LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.UGE, index, extent, "");
        RaiseIf(outside, IndexOutOfRange, "bounds");
    }

    LLVMValueRef ArrayLength(Instruction i)
    {
        LLVMValueRef descriptor = CheckedDescriptor(i.Operands[0]);
        LLVMValueRef length = TypeOf(i.Operands[0]).Rank == 1 ? VectorLength(descriptor) : LoadDescriptorField(t.I64, descriptor, NativeAbi.DescriptorLength);
        if (i.Type != IrType.I32)
            return length;
        // A multi-dimensional array may hold more than int.MaxValue elements: its Length throws, as .NET's does.
        if (TypeOf(i.Operands[0]).Rank > 1)
            RaiseIf(LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.SGT, length, Int64(int.MaxValue), ""), Overflow, "length.overflow");
        return LlvmApi.LLVMBuildTrunc(b, length, t.I32, "");
    }

    LLVMValueRef ArrayDimension(Instruction i)
    {
        IrType arrayType = TypeOf(i.Operands[0]);
        LLVMValueRef descriptor = CheckedDescriptor(i.Operands[0]);
        LLVMValueRef dimension = Index64(i.Operands[1]);
        CheckBound(dimension, Int64(arrayType.Rank));
        LLVMValueRef extent;
        if (arrayType.Rank == 1)
        {
            extent = VectorLength(descriptor);
        }
        else
        {
            LLVMValueRef dims = ByteOffset(descriptor, NativeAbi.DescriptorDimensions);
            extent = LlvmApi.LLVMBuildLoad2(b, t.I64, LlvmApi.LLVMBuildInBoundsGEP2(b, t.I64, dims, &dimension, 1, ""), "");
            LlvmApi.LLVMSetMetadata(extent, module.InvariantLoadKind, module.EmptyMetadata);
        }
        return LlvmApi.LLVMBuildTrunc(b, extent, t.I32, "");
    }

    /// <summary>
    /// One zeroed allocation of the target's (<see cref="TargetLowering.AllocateArray"/>) holding the
    /// descriptor and then the elements; the descriptor names the allocation's owner, and the new
    /// array holds its one reference. Negative
    /// lengths raise OverflowException and more elements than .NET allows OutOfMemoryException,
    /// as in .NET; a failed allocation raises OutOfMemoryException naming the size.
    /// </summary>
    LLVMValueRef NewArray(Instruction i)
    {
        IrType type = i.Type;
        int elementSize = type.Element!.Size;
        LLVMValueRef count = Int64(1);
        var extents = new LLVMValueRef[i.Operands.Length];
        for (int d = 0; d < i.Operands.Length; d++)
        {
            LLVMValueRef extent = Index64(i.Operands[d]);
            RaiseIf(LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.SLT, extent, Int64(0), ""), Overflow, "negative.length");
            RaiseIf(LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.SGT, extent, Int64(NativeAbi.MaxArrayLength), ""), ArrayTooLarge, "too.large");
            extents[d] = extent;
            // Each extent is below 2^31; a product kept below 2^32 before the next multiply cannot overflow.
            if (d > 1)
                RaiseIf(LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.SGT, count, Int64(1L << 32), ""), ArrayTooLarge, "too.large");
            count = LlvmApi.LLVMBuildMul(b, count, extent, "");
        }
        // .NET allows a multi-dimensional array past int.MaxValue elements (only its Length throws);
        // past 2^40 elements no machine has the memory, and the size in bytes must not overflow.
        if (i.Operands.Length > 1)
            RaiseIf(LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.SGT, count, Int64(1L << 40), ""), ArrayTooLarge, "too.large");
        int header = NativeAbi.AllocationHeader(type.Rank);
        LLVMValueRef bytes = LlvmApi.LLVMBuildAdd(b, LlvmApi.LLVMBuildMul(b, count, Int64(elementSize), ""), Int64(header), "");
        (LLVMValueRef block, LLVMValueRef owner) = module.Target.AllocateArray(this, bytes, type.Element!);
        StoreAt(block, NativeAbi.DescriptorOwner, owner);
        StoreAt(block, NativeAbi.DescriptorData, ByteOffset(block, header));
        StoreAt(block, NativeAbi.DescriptorLength, count);
        if (type.Rank > 1)
        {
            for (int d = 0; d < extents.Length; d++)
                StoreAt(block, NativeAbi.DescriptorDimensions + 8 * d, extents[d]);
        }
        return block;
    }
}

