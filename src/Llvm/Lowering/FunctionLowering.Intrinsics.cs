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
        if (i.Intrinsic == IntrinsicKind.StackArray)
            return StackArray(i.TargetType!, V(i.Operands[0]));
        if (i.Intrinsic == IntrinsicKind.ConstantArray)
            return ConstantArray(BlobData(i.TargetType!, i.Constant, i.Field!), i.Constant);
        if (i.Intrinsic == IntrinsicKind.StringLiteral)
            return ConstantArray(System.Text.Encoding.Unicode.GetBytes(i.Text!), i.Text!.Length);
        if (i.Intrinsic == IntrinsicKind.StringChars)
            return V(i.Operands[0]); // the string's descriptor is a char[]'s
        if (i.Intrinsic == IntrinsicKind.StaticArray)
            return module.Target.StaticArray(this, i.Field!);
        if (i.Intrinsic == IntrinsicKind.FrameArray)
            return FrameArray(V(i.Operands[0]), i.Constant);
        if (i.Intrinsic == IntrinsicKind.ReinterpretRef)
            return V(i.Operands[0]); // pointers are untyped: the loads and stores through it say the type
        if (i.Intrinsic == IntrinsicKind.ArrayView)
            return module.Target.ArrayView(this, V(i.Operands[0]), V(i.Operands[1]), V(i.Operands[2]));
        if (i.Intrinsic == IntrinsicKind.CopyBytes)
        {
            // The importer's checks hold: both arrays exist and the bytes lie inside them.
            LLVMValueRef Bytes(int array, int offset)
            {
                LLVMValueRef data = LoadDescriptorField(t.Ptr, V(i.Operands[array]), NativeAbi.DescriptorData);
                LLVMValueRef at = LlvmApi.LLVMBuildSExt(b, V(i.Operands[offset]), t.I64, "");
                return LlvmApi.LLVMBuildInBoundsGEP2(b, t.I8, data, &at, 1, "");
            }
            LLVMValueRef count = LlvmApi.LLVMBuildSExt(b, V(i.Operands[4]), t.I64, "");
            CallOverloadedIntrinsic("llvm.memmove", [t.Ptr, t.Ptr, t.I64], Bytes(2, 3), Bytes(0, 1), count, LlvmApi.LLVMConstInt(t.I1, 0, 0));
            return default;
        }
        if (!IntrinsicInfo.IsAtomic(i.Intrinsic))
            return module.Target.Intrinsic(this, i);
        IrType element = i.TargetType!;
        LLVMValueRef pointer = ElementPointer(i);
        LLVMValueRef value = ToMemory(V(i.Operands[2]), TypeOf(i.Operands[2]), element);
        LLVMValueRef old;
        if (i.Intrinsic == IntrinsicKind.AtomicCompareExchange)
        {
            LLVMValueRef comparand = ToMemory(V(i.Operands[3]), TypeOf(i.Operands[3]), element);
            // cmpxchg takes integers: a float's bits are compared, as .NET's Interlocked.CompareExchange compares them.
            LLVMTypeRef bits = element.IsFloat ? LlvmApi.LLVMIntTypeInContext(Context, (uint)element.Size * 8) : default;
            if (element.IsFloat)
            {
                value = LlvmApi.LLVMBuildBitCast(b, value, bits, "");
                comparand = LlvmApi.LLVMBuildBitCast(b, comparand, bits, "");
            }
            LLVMValueRef pair = LlvmApi.LLVMBuildAtomicCmpXchg(b, pointer, comparand, value,
                LLVMAtomicOrdering.SequentiallyConsistent, LLVMAtomicOrdering.SequentiallyConsistent, 0);
            old = LlvmApi.LLVMBuildExtractValue(b, pair, 0, "");
            if (element.IsFloat)
                old = LlvmApi.LLVMBuildBitCast(b, old, t.Memory(element), "");
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

    /// <summary>
    /// <c>stackalloc</c>: a descriptor and the zeroed elements after it in one block of this frame, made anew each time
    /// the instruction runs (a span from an earlier run keeps its own), as .NET's <c>localloc</c>. The owner is null,
    /// so reference counting passes it by. The function probes the stack as it grows it (<c>probe-stack</c>): a
    /// <c>stackalloc</c> past the stack's end faults next to the stack pointer, where it ends the process as .NET's
    /// stack overflow does, never writing past the guard page.
    /// </summary>
    LLVMValueRef StackArray(IrType element, LLVMValueRef length)
    {
        LLVMValueRef function = LlvmApi.LLVMGetBasicBlockParent(LlvmApi.LLVMGetInsertBlock(b));
        fixed (byte* key = "probe-stack"u8, value = "inline-asm"u8)
            LlvmApi.LLVMAddAttributeAtIndex(function, -1, LlvmApi.LLVMCreateStringAttribute(Context, key, 11, value, 10));
        int header = NativeAbi.AllocationHeader(1);
        LLVMValueRef count = LlvmApi.LLVMBuildZExt(b, length, t.I64, "");
        LLVMValueRef elements = LlvmApi.LLVMBuildMul(b, count, Int64(element.Size), "");
        LLVMValueRef block = LlvmApi.LLVMBuildArrayAlloca(b, t.I8, LlvmApi.LLVMBuildAdd(b, elements, Int64(header), ""), "stackalloc");
        LlvmApi.LLVMSetAlignment(block, 16);
        LLVMValueRef data = ByteOffset(block, header);
        LlvmApi.LLVMBuildMemSet(b, data, LlvmApi.LLVMConstInt(t.I8, 0, 0), elements, 16);
        // Each descriptor field is stored once and never again: loads of descriptors are !invariant.load, which a
        // zeroing of the whole block before these stores would contradict (LLVM then takes the code for undefined).
        StoreAt(block, NativeAbi.DescriptorOwner, LlvmApi.LLVMConstNull(t.Ptr));
        StoreAt(block, NativeAbi.DescriptorData, data);
        StoreAt(block, NativeAbi.DescriptorLength, count);
        StoreAt(block, NativeAbi.DescriptorHost, LlvmApi.LLVMConstNull(t.Ptr));
        return block;
    }

    /// <summary>
    /// A descriptor in the frame (an alloca of the first block, so loops reuse it) of <paramref name="count"/> elements at
    /// <paramref name="data"/>; owner and host null. Its fields are stored each time the instruction runs, with the same
    /// values (the data is one frame's struct), which keeps the descriptor's loads invariant.
    /// </summary>
    LLVMValueRef FrameArray(LLVMValueRef data, long count)
    {
        LLVMValueRef descriptor = Alloca(LlvmApi.LLVMArrayType2(t.I64, (ulong)NativeAbi.DescriptorSize(1) / 8));
        StoreAt(descriptor, NativeAbi.DescriptorOwner, LlvmApi.LLVMConstNull(t.Ptr));
        StoreAt(descriptor, NativeAbi.DescriptorData, data);
        StoreAt(descriptor, NativeAbi.DescriptorLength, Int64(count));
        StoreAt(descriptor, NativeAbi.DescriptorHost, LlvmApi.LLVMConstNull(t.Ptr));
        return descriptor;
    }

    /// <summary>The first <paramref name="count"/> elements of <paramref name="element"/> of a data blob's bytes (the importer checked the blob holds as many).</summary>
    static byte[] BlobData(IrType element, long count, System.Reflection.FieldInfo blob)
    {
        byte[] data = new byte[count * element.Size];
        System.Runtime.CompilerServices.RuntimeHelpers.InitializeArray(data, blob.FieldHandle);
        return data;
    }

    /// <summary>
    /// A read-only array of <paramref name="count"/> elements whose bytes are <paramref name="data"/> (a data blob's, a
    /// string literal's) and a descriptor of them, both constants of the module in the target's constant address
    /// space; owner and host are null, so nothing counts it and a string of it returned to .NET is made anew.
    /// </summary>
    LLVMValueRef ConstantArray(byte[] data, long count)
    {
        uint space = module.Target.ConstantAddressSpace;
        LLVMModuleRef m = module.Module.Handle;
        LLVMValueRef bytes;
        fixed (byte* p = data)
            bytes = LlvmApi.LLVMConstStringInContext2(Context, p, (nuint)data.Length, 1);
        LLVMValueRef Constant(LLVMValueRef value, string name)
        {
            LLVMValueRef global = LlvmApi.LLVMAddGlobalInAddressSpace(m, LlvmApi.LLVMTypeOf(value), name, space);
            LlvmApi.LLVMSetInitializer(global, value);
            LlvmApi.LLVMSetGlobalConstant(global, 1);
            LlvmApi.LLVMSetLinkage(global, LLVMLinkage.Internal);
            LlvmApi.LLVMSetAlignment(global, 16);
            return space == 0 ? global : LlvmApi.LLVMConstAddrSpaceCast(global, t.Ptr);
        }
        LLVMValueRef* fields = stackalloc LLVMValueRef[] { LlvmApi.LLVMConstNull(t.Ptr), Constant(bytes, "constant.data"), Int64(count), LlvmApi.LLVMConstNull(t.Ptr) };
        return Constant(LlvmApi.LLVMConstStructInContext(Context, fields, 4, 0), "constant.array");
    }
}
