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
