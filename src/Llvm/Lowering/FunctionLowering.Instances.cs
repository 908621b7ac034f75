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

    /// <summary>
    /// castclass: raises InvalidCastException (its message naming both classes, as .NET's) unless <paramref name="value"/>
    /// is null or an instance of <paramref name="tested"/>'s class or of one derived from it.
    /// </summary>
    void CheckCast(LLVMValueRef value, JitClassType tested)
    {
        LLVMValueRef fails = LlvmApi.LLVMBuildAnd(b, LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.NE, value, LlvmApi.LLVMConstNull(t.Ptr), ""),
            LlvmApi.LLVMBuildNot(b, IsInstance(value, tested), ""), "");
        LLVMBasicBlockRef raise = AppendBlock("cast.fails"), ok = AppendBlock("cast.ok");
        LlvmApi.LLVMBuildCondBr(b, fails, raise, ok);
        LlvmApi.LLVMPositionBuilderAtEnd(b, raise);
        LLVMValueRef actual = LoadAt(t.I64, module.Target.ClassRecordOf(this, value), NativeAbi.ClassRecordId);
        FillExceptionRecord(RaiseInfo.IndexOf(typeof(InvalidCastException)), NativeAbi.ExceptionFormatKind.InvalidCast, null, actual, Int64(tested.ClassId));
        LlvmApi.LLVMBuildBr(b, RaiseTarget());
        LlvmApi.LLVMPositionBuilderAtEnd(b, ok);
    }

    /// <summary>
    /// Whether <paramref name="value"/> is an instance of <paramref name="tested"/>'s class or of one derived from it (i1;
    /// null is not): its record's ancestry holds the class's id at the class's depth (a display: one load and compare
    /// whatever the hierarchy's size, and true for subclasses compiled after this code).
    /// </summary>
    LLVMValueRef IsInstance(LLVMValueRef value, JitClassType tested)
    {
        int depth = tested.Ancestry().Count - 1;
        LLVMBasicBlockRef entry = LlvmApi.LLVMGetInsertBlock(b), load = AppendBlock("is.record"), done = AppendBlock("is.done");
        LlvmApi.LLVMBuildCondBr(b, LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.EQ, value, LlvmApi.LLVMConstNull(t.Ptr), ""), done, load);
        LlvmApi.LLVMPositionBuilderAtEnd(b, load);
        LLVMValueRef record = module.Target.ClassRecordOf(this, value);
        LLVMValueRef deep = LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.SGE, LoadAt(t.I64, record, NativeAbi.ClassRecordDepth), Int64(depth), "");
        LLVMBasicBlockRef compare = AppendBlock("is.compare");
        LlvmApi.LLVMBuildCondBr(b, deep, compare, done);
        LlvmApi.LLVMPositionBuilderAtEnd(b, compare);
        LLVMValueRef same = LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.EQ, LoadAt(t.I64, record, NativeAbi.ClassRecordAncestry + 8 * depth), Int64(tested.ClassId), "");
        LlvmApi.LLVMBuildBr(b, done);
        LlvmApi.LLVMPositionBuilderAtEnd(b, done);
        LLVMValueRef result = LlvmApi.LLVMBuildPhi(b, t.I1, "");
        LLVMValueRef[] values = [LlvmApi.LLVMConstInt(t.I1, 0, 0), LlvmApi.LLVMConstInt(t.I1, 0, 0), same];
        LLVMBasicBlockRef[] from = [entry, load, compare];
        fixed (LLVMValueRef* v = values)
        fixed (LLVMBasicBlockRef* f = from)
            LlvmApi.LLVMAddIncoming(result, v, f, 3);
        return result;
    }

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
