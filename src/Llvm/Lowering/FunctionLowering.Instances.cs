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

    /// <summary>
    /// A .NET array is only lent for the call (pinned by the caller, its descriptor on the caller's
    /// stack); a field may keep it past the call, so a lent array is adopted first: pinned by a
    /// GCHandle in a MemInfo of its own (<c>nrt_adopt_array</c>), whose reference the field takes.
    /// Arrays made by compiled code (owner set) and null pass through.
    /// </summary>
    LLVMValueRef AdoptIfLent(LLVMValueRef descriptor, int rank)
    {
        LLVMBasicBlockRef check = LlvmApi.LLVMAppendBasicBlockInContext(Context, function, "lent.check");
        LLVMBasicBlockRef adopt = LlvmApi.LLVMAppendBasicBlockInContext(Context, function, "lent.adopt");
        LLVMBasicBlockRef done = LlvmApi.LLVMAppendBasicBlockInContext(Context, function, "lent.done");
        LLVMBasicBlockRef entry = LlvmApi.LLVMGetInsertBlock(b);
        LlvmApi.LLVMBuildCondBr(b, LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.EQ, descriptor, LlvmApi.LLVMConstNull(t.Ptr), ""), done, check);
        LlvmApi.LLVMPositionBuilderAtEnd(b, check);
        LLVMValueRef owner = LoadDescriptorField(t.Ptr, descriptor, NativeAbi.DescriptorOwner);
        LlvmApi.LLVMBuildCondBr(b, LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.EQ, owner, LlvmApi.LLVMConstNull(t.Ptr), ""), adopt, done);
        LlvmApi.LLVMPositionBuilderAtEnd(b, adopt);
        LLVMValueRef adopted = module.CallRuntime(b, NrtRuntimeIr.AdoptArray, t.Ptr, descriptor, Int32(rank));
        RaiseOutOfMemoryIfNull(adopted, Int64(NativeAbi.DescriptorSize(rank)));
        LLVMBasicBlockRef adoptedBlock = LlvmApi.LLVMGetInsertBlock(b);
        LlvmApi.LLVMBuildBr(b, done);
        LlvmApi.LLVMPositionBuilderAtEnd(b, done);
        LLVMValueRef result = LlvmApi.LLVMBuildPhi(b, t.Ptr, "");
        LLVMValueRef* values = stackalloc LLVMValueRef[] { descriptor, descriptor, adopted };
        LLVMBasicBlockRef* blocks = stackalloc LLVMBasicBlockRef[] { entry, check, adoptedBlock };
        LlvmApi.LLVMAddIncoming(result, values, blocks, 3);
        return result;
    }

    /// <summary>The address of the field of operand 0 (null raises NullReferenceException, as .NET does).</summary>
    LLVMValueRef FieldPointer(Instruction i)
    {
        LLVMValueRef instance = V(i.Operands[0]);
        RaiseIf(LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.EQ, instance, LlvmApi.LLVMConstNull(t.Ptr), ""), NullReference, "null");
        JitClassType layout = JitClassLayouts.For(i.Field!.DeclaringType!);
        JitField field = layout.Fields.First(f => f.Field == i.Field);
        // An instance's data follows its MemInfo in the same block (every instance is made by
        // nrt_meminfo_alloc_zeroed): its address is computed, not loaded — one dependent load less
        // per field access, which list walks feel.
        return ByteOffset(instance, NrtRuntimeIr.MemInfoSize + field.Offset);
    }
}
