using Targets.Frontend.Ir;
using Targets.Llvm;
using Targets.Llvm.Interop;
using Targets.Llvm.Lowering;

namespace Targets.Cuda.Lowering;

/// <summary>
/// The kernel of <see cref="CudaEntry"/>: it computes the thread's index (index kernels: each
/// coordinate from its own grid dimension, <c>blockIdx·blockDim + threadIdx</c>, guarded by its extent),
/// rebuilds each array's descriptor on the stack from its data pointer and lengths (SROA folds it
/// away), calls the entry function, and when that raised, the first raising thread of the launch
/// claims the error slot (an atomic compare-and-swap) and writes its record and coordinates. On the
/// simulator a trampoline <c>void @module_sim(ptr slots)</c> reads each kernel parameter from an
/// 8-byte slot, so one .NET call shape starts every kernel.
/// </summary>
public sealed unsafe partial class CudaLowering
{
    /// <summary>The simulator's trampoline symbol for a module named <paramref name="moduleName"/>.</summary>
    public static string SimulatorSymbol(string moduleName) => moduleName + "_sim";

    /// <summary>The kernel's LLVM parameter types, in the order of <see cref="CudaEntry"/>.</summary>
    List<LLVMTypeRef> KernelParameters(IrFunction entry, LlvmTypes t)
    {
        List<LLVMTypeRef> parameters = [t.Ptr];
        parameters.AddRange(Entry.Kind switch
        {
            CudaEntryKind.Function => [t.Ptr],
            CudaEntryKind.Grid => [],
            _ when Entry.LongIndex => [t.I64],
            _ => Enumerable.Repeat(t.I32, Entry.Rank),
        });
        foreach (IrType type in entry.ParameterTypes.Skip(Entry.IndexParameters))
        {
            if (type.Kind == IrTypeKind.Array)
                parameters.AddRange([t.Ptr, .. Enumerable.Repeat(t.I64, CudaEntry.Flattened(type) - 1)]);
            else
                parameters.Add(t.Parameter(type)); // a struct: byval (its bytes in the kernel's .param space), see EmitEntry
        }
        return parameters;
    }

    public override void EmitEntry(ModuleLowering lowering, LLVMBuilderRef builder)
    {
        ArgumentNullException.ThrowIfNull(lowering);
        LLVMBuilderRef b = builder;
        IrFunction entry = lowering.Ir.Entry;
        LlvmTypes t = lowering.Types;
        LlvmContext context = lowering.Module.Context;
        List<LLVMTypeRef> parameters = KernelParameters(entry, t);
        LLVMValueRef kernel = LlvmApi.LLVMAddFunction(lowering.Module.Handle, CudaEntry.KernelSymbol(lowering.Name), context.Function(t.Void, [.. parameters]));
        if (simulated)
            LlvmApi.LLVMSetLinkage(kernel, LLVMLinkage.Internal);
        else
            LlvmApi.LLVMSetFunctionCallConv(kernel, LLVMCallConv.PtxKernel);
        LLVMValueRef Param(int n) => LlvmApi.LLVMGetParam(kernel, (uint)n);
        LLVMValueRef I64(long v) => LlvmApi.LLVMConstInt(t.I64, unchecked((ulong)v), 1);
        LLVMValueRef At(LLVMValueRef pointer, int offset)
        {
            LLVMValueRef index = I64(offset);
            return offset == 0 ? pointer : LlvmApi.LLVMBuildInBoundsGEP2(b, t.I8, pointer, &index, 1, "");
        }

        LlvmApi.LLVMPositionBuilderAtEnd(b, LlvmApi.LLVMAppendBasicBlockInContext(context.Handle, kernel, "entry"));
        LLVMValueRef record = LlvmApi.LLVMBuildAlloca(b, LlvmApi.LLVMArrayType2(t.I64, NativeAbi.ExceptionRecordSize / 8), "record");
        // Descriptors first: allocas in the entry block, before the index guard branches, are what SROA removes.
        var userArguments = new List<LLVMValueRef>();
        int next = Entry.LeadingParameters;
        foreach (IrType type in entry.ParameterTypes.Skip(Entry.IndexParameters))
        {
            if (type.Kind != IrTypeKind.Array)
            {
                // A kernel's instance is never null (the host refuses null): saying so drops the null checks of its members.
                if (type.Kind == IrTypeKind.Instance && Entry.Kind != CudaEntryKind.Function)
                    LlvmApi.LLVMAddAttributeAtIndex(kernel, next + 1, Attribute(context, "nonnull"));
                // A struct is passed by value, as CUDA C passes one: byval puts its bytes in the kernel's
                // .param space (the host hands the driver their address). The simulator's kernel is an
                // internal function its trampoline calls with the same address: no attribute needed.
                if (type.Kind == IrTypeKind.Aggregate && !simulated)
                {
                    LlvmApi.LLVMAddAttributeAtIndex(kernel, next + 1, LlvmApi.LLVMCreateTypeAttribute(context.Handle, Kind("byval"), t.Value(type)));
                    LlvmApi.LLVMAddAttributeAtIndex(kernel, next + 1, LlvmApi.LLVMCreateEnumAttribute(context.Handle, Kind("align"), (ulong)type.Alignment));
                }
                userArguments.Add(Param(next++));
                continue;
            }
            LLVMValueRef descriptor = LlvmApi.LLVMBuildAlloca(b, LlvmApi.LLVMArrayType2(t.I64, (ulong)NativeAbi.DescriptorSize(type.Rank) / 8), "array");
            LlvmApi.LLVMBuildStore(b, LlvmApi.LLVMConstNull(t.Ptr), At(descriptor, NativeAbi.DescriptorOwner));
            LlvmApi.LLVMBuildStore(b, Param(next++), At(descriptor, NativeAbi.DescriptorData));
            LlvmApi.LLVMBuildStore(b, Param(next++), At(descriptor, NativeAbi.DescriptorLength));
            for (int d = 0; type.Rank > 1 && d < type.Rank; d++)
                LlvmApi.LLVMBuildStore(b, Param(next++), At(descriptor, NativeAbi.DescriptorDimensions + 8 * d));
            // A function (Invoke) may be passed null, flagged by a length of −1; kernels never are.
            if (Entry.Kind == CudaEntryKind.Function)
                descriptor = LlvmApi.LLVMBuildSelect(b, LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.EQ, Param(next - CudaEntry.Flattened(type) + 1), I64(-1), ""),
                    LlvmApi.LLVMConstNull(t.Ptr), descriptor, "");
            userArguments.Add(descriptor);
        }
        var arguments = new List<LLVMValueRef> { record, Entry.Kind == CudaEntryKind.Function ? Param(1) : LlvmApi.LLVMConstNull(t.Ptr) };
        if (Entry.Kind == CudaEntryKind.Index)
            arguments.AddRange(IndexOf(lowering, b, kernel));
        arguments.AddRange(userArguments);

        (LLVMValueRef callee, LLVMTypeRef calleeType) = lowering.FunctionOf(0);
        LLVMValueRef[] args = [.. arguments];
        LLVMValueRef status;
        fixed (LLVMValueRef* a = args)
            status = LlvmApi.LLVMBuildCall2(b, calleeType, callee, a, (uint)args.Length, "status");
        LLVMBasicBlockRef raised = LlvmApi.LLVMAppendBasicBlockInContext(context.Handle, kernel, "raised");
        LLVMBasicBlockRef claimed = LlvmApi.LLVMAppendBasicBlockInContext(context.Handle, kernel, "claimed");
        LLVMBasicBlockRef done = LlvmApi.LLVMAppendBasicBlockInContext(context.Handle, kernel, "done");
        LlvmApi.LLVMBuildCondBr(b, LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.NE, status, LlvmApi.LLVMConstInt(t.I32, 0, 0), ""), raised, done);

        // The first thread to raise claims the slot; later ones leave it alone.
        LlvmApi.LLVMPositionBuilderAtEnd(b, raised);
        LLVMValueRef error = Param(0);
        LLVMValueRef pair = LlvmApi.LLVMBuildAtomicCmpXchg(b, At(error, CudaEntry.ErrorFlag), LlvmApi.LLVMConstInt(t.I32, 0, 0), LlvmApi.LLVMConstInt(t.I32, 1, 0),
            LLVMAtomicOrdering.SequentiallyConsistent, LLVMAtomicOrdering.SequentiallyConsistent, 0);
        LLVMValueRef first = LlvmApi.LLVMBuildExtractValue(b, pair, 1, "");
        LlvmApi.LLVMBuildCondBr(b, first, claimed, done);

        LlvmApi.LLVMPositionBuilderAtEnd(b, claimed);
        for (int offset = 0; offset < NativeAbi.ExceptionRecordSize; offset += 8)
            LlvmApi.LLVMBuildStore(b, LlvmApi.LLVMBuildLoad2(b, t.I64, At(record, offset), ""), At(error, CudaEntry.ErrorRecord + offset));
        for (int n = 0; n < 3; n++)
        {
            LlvmApi.LLVMBuildStore(b, Coordinate(lowering, b, IntrinsicKind.BlockIdxX + n), At(error, CudaEntry.ErrorBlock + 4 * n));
            LlvmApi.LLVMBuildStore(b, Coordinate(lowering, b, IntrinsicKind.ThreadIdxX + n), At(error, CudaEntry.ErrorThread + 4 * n));
        }
        LlvmApi.LLVMBuildBr(b, done);
        LlvmApi.LLVMPositionBuilderAtEnd(b, done);
        LlvmApi.LLVMBuildRetVoid(b);

        if (simulated)
            EmitTrampoline(lowering, b, kernel, parameters);
    }

    static LLVMAttributeRef Attribute(LlvmContext context, string name) => LlvmApi.LLVMCreateEnumAttribute(context.Handle, Kind(name), 0);

    /// <summary>The kind number LLVM gives the attribute named <paramref name="name"/>.</summary>
    static uint Kind(string name)
    {
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(name);
        fixed (byte* n = bytes)
            return LlvmApi.LLVMGetEnumAttributeKindForName(n, (nuint)bytes.Length);
    }

    /// <summary>
    /// The index of the calling thread, one coordinate per grid dimension:
    /// <c>blockIdx·blockDim + threadIdx</c> in x (and y, z), and a return when any is past its
    /// extent. Coordinates are unsigned 32-bit (a <see cref="LongIndex1D"/>'s 64-bit) compared
    /// unsigned with extents that are never negative, so LLVM knows every index is, and bounds
    /// checks on <c>a[i]</c> stay 32-bit.
    /// </summary>
    List<LLVMValueRef> IndexOf(ModuleLowering m, LLVMBuilderRef b, LLVMValueRef kernel)
    {
        LlvmTypes t = m.Types;
        LLVMBasicBlockRef outside = LlvmApi.LLVMAppendBasicBlockInContext(m.Module.Context.Handle, kernel, "outside");
        var index = new List<LLVMValueRef>();
        for (int d = 0; d < (Entry.LongIndex ? 1 : Entry.Rank); d++)
        {
            LLVMValueRef block = Coordinate(m, b, IntrinsicKind.BlockIdxX + d), size = Coordinate(m, b, IntrinsicKind.BlockDimX + d), thread = Coordinate(m, b, IntrinsicKind.ThreadIdxX + d);
            if (Entry.LongIndex)
            {
                block = LlvmApi.LLVMBuildZExt(b, block, t.I64, "");
                size = LlvmApi.LLVMBuildZExt(b, size, t.I64, "");
                thread = LlvmApi.LLVMBuildZExt(b, thread, t.I64, "");
            }
            LLVMValueRef coordinate = LlvmApi.LLVMBuildAdd(b, LlvmApi.LLVMBuildMul(b, block, size, ""), thread, "xyz"[d].ToString());
            LLVMValueRef extent = LlvmApi.LLVMGetParam(kernel, (uint)(1 + d));
            // The host passes extents of zero or more: saying so lets LLVM treat indices as non-negative.
            (LLVMValueRef assume, LLVMTypeRef assumeType) = m.Intrinsic("llvm.assume");
            LLVMValueRef nonNegative = LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.SGE, extent, LlvmApi.LLVMConstInt(LlvmApi.LLVMTypeOf(extent), 0, 0), "");
            LlvmApi.LLVMBuildCall2(b, assumeType, assume, &nonNegative, 1, "");
            LLVMBasicBlockRef inside = LlvmApi.LLVMAppendBasicBlockInContext(m.Module.Context.Handle, kernel, "inside");
            LlvmApi.LLVMBuildCondBr(b, LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.ULT, coordinate, extent, ""), inside, outside);
            LlvmApi.LLVMPositionBuilderAtEnd(b, inside);
            index.Add(coordinate);
        }
        LLVMBasicBlockRef saved = LlvmApi.LLVMGetInsertBlock(b);
        LlvmApi.LLVMPositionBuilderAtEnd(b, outside);
        LlvmApi.LLVMBuildRetVoid(b);
        LlvmApi.LLVMPositionBuilderAtEnd(b, saved);
        return index;
    }

    /// <summary><c>void @module_sim(ptr slots)</c>: the kernel's parameters, one 8-byte slot each (see the class summary).</summary>
    void EmitTrampoline(ModuleLowering m, LLVMBuilderRef b, LLVMValueRef kernel, List<LLVMTypeRef> parameters)
    {
        LlvmTypes t = m.Types;
        LLVMValueRef trampoline = LlvmApi.LLVMAddFunction(m.Module.Handle, SimulatorSymbol(m.Name), m.Module.Context.Function(t.Void, t.Ptr));
        LlvmApi.LLVMPositionBuilderAtEnd(b, LlvmApi.LLVMAppendBasicBlockInContext(m.Module.Context.Handle, trampoline, "entry"));
        var args = new LLVMValueRef[parameters.Count];
        for (int n = 0; n < args.Length; n++)
        {
            LLVMValueRef index = LlvmApi.LLVMConstInt(t.I64, (ulong)(8 * n), 0);
            args[n] = LlvmApi.LLVMBuildLoad2(b, parameters[n], LlvmApi.LLVMBuildInBoundsGEP2(b, t.I8, LlvmApi.LLVMGetParam(trampoline, 0), &index, 1, ""), "");
        }
        fixed (LLVMValueRef* a = args)
            LlvmApi.LLVMBuildCall2(b, LlvmApi.LLVMGlobalGetValueType(kernel), kernel, a, (uint)args.Length, "");
        LlvmApi.LLVMBuildRetVoid(b);
    }
}
