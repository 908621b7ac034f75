using Targets.Frontend.Ir;
using Targets.Llvm.Interop;
using Targets.Runtime;

namespace Targets.Llvm.Lowering;

/// <summary>
/// Jit class instances: a value is a pointer to the instance's MemInfo, whose data is the C struct
/// of <see cref="JitClassLayouts"/>. New instances are zeroed NRT allocations whose destructor
/// releases every reference field.
/// </summary>
internal sealed unsafe partial class FunctionLowering
{
    LLVMValueRef NewInstance(Instruction i)
    {
        JitClassType layout = JitClassLayouts.For(i.Type.JitClass!);
        LLVMValueRef size = Int64(layout.Size);
        LLVMValueRef memInfo = module.CallRuntime(b, NrtRuntimeIr.MemInfoAllocZeroed, t.Ptr, size, module.Destructor(layout));
        RaiseOutOfMemoryIfNull(memInfo, size);
        return memInfo;
    }

    static readonly RaiseInfo BorrowedArrayInField = RaiseInfo.Of<NotSupportedException>(
        "A .NET array cannot be stored in a jit class field yet: the instance could outlive the call that lends the array. Copy it into a new array made in compiled code.");

    /// <summary>
    /// A .NET array is only lent for the call (pinned by the caller, descriptor on its stack); a
    /// field could keep it past the call, so storing one raises instead of leaving a dangling pointer.
    /// </summary>
    void RaiseIfBorrowedArray(LLVMValueRef descriptor)
    {
        LLVMBasicBlockRef check = LlvmApi.LLVMAppendBasicBlockInContext(Context, function, "borrowed.check");
        LLVMBasicBlockRef done = LlvmApi.LLVMAppendBasicBlockInContext(Context, function, "borrowed.done");
        LlvmApi.LLVMBuildCondBr(b, LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.EQ, descriptor, LlvmApi.LLVMConstNull(t.Ptr), ""), done, check);
        LlvmApi.LLVMPositionBuilderAtEnd(b, check);
        LLVMValueRef owner = LoadDescriptorField(t.Ptr, descriptor, NativeAbi.DescriptorOwner);
        RaiseIf(LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.EQ, owner, LlvmApi.LLVMConstNull(t.Ptr), ""), BorrowedArrayInField, "borrowed");
        LlvmApi.LLVMBuildBr(b, done);
        LlvmApi.LLVMPositionBuilderAtEnd(b, done);
    }

    /// <summary>The address of the field of operand 0 (null raises NullReferenceException, as .NET does).</summary>
    LLVMValueRef FieldPointer(Instruction i)
    {
        LLVMValueRef instance = V(i.Operands[0]);
        RaiseIf(LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.EQ, instance, LlvmApi.LLVMConstNull(t.Ptr), ""), NullReference, "null");
        JitClassType layout = JitClassLayouts.For(i.Field!.DeclaringType!);
        JitField field = layout.Fields.First(f => f.Field == i.Field);
        LLVMValueRef data = LoadDescriptorField(t.Ptr, instance, NrtRuntimeIr.DataOffset);
        return ByteOffset(data, field.Offset);
    }
}
