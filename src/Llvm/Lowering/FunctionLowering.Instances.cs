using Targets.Frontend.Ir;
using Targets.Llvm.Interop;

namespace Targets.Llvm.Lowering;

/// <summary>
/// Jit class instances: whatever the target makes them (<see cref="TargetLowering.NewInstance"/>),
/// laid out by the target's <see cref="LayoutContext"/>; a null instance raises
/// NullReferenceException before any field is touched, as in .NET.
/// </summary>
public sealed unsafe partial class FunctionLowering
{
    LLVMValueRef NewInstance(Instruction i) => module.Target.NewInstance(this, module.Target.Layouts.Layout(i.Type.JitClass!));

    /// <summary>The address of the field of operand 0 (null raises NullReferenceException, as .NET does).</summary>
    LLVMValueRef FieldPointer(Instruction i)
    {
        LLVMValueRef instance = V(i.Operands[0]);
        RaiseIf(LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.EQ, instance, LlvmApi.LLVMConstNull(t.Ptr), ""), NullReference, "null");
        JitClassType layout = module.Target.Layouts.Layout(i.Field!.DeclaringType!);
        JitField field = layout.Fields.First(f => f.Field == i.Field);
        return module.Target.FieldAddress(this, instance, field.Offset);
    }
}
