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
    void CheckCast(LLVMValueRef value, Type tested)
    {
        LLVMValueRef fails = LlvmApi.LLVMBuildAnd(b, LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.NE, value, LlvmApi.LLVMConstNull(t.Ptr), ""),
            LlvmApi.LLVMBuildNot(b, IsInstance(value, tested), ""), "");
        LLVMBasicBlockRef raise = AppendBlock("cast.fails"), ok = AppendBlock("cast.ok");
        LlvmApi.LLVMBuildCondBr(b, fails, raise, ok);
        LlvmApi.LLVMPositionBuilderAtEnd(b, raise);
        LLVMValueRef actual = LoadAt(t.I64, module.Target.ClassRecordOf(this, value), NativeAbi.ClassRecordId);
        FillExceptionRecord(RaiseInfo.IndexOf(typeof(InvalidCastException)), NativeAbi.ExceptionFormatKind.InvalidCast, null, actual, Int64(ClassIdentity.Of(tested)));
        LlvmApi.LLVMBuildBr(b, RaiseTarget());
        LlvmApi.LLVMPositionBuilderAtEnd(b, ok);
    }

    /// <summary>
    /// Whether <paramref name="value"/> is an instance of class <paramref name="tested"/> or of one derived from it (i1;
    /// null is not): its record's ancestry holds the class's id at the class's depth (a display: one load and compare
    /// whatever the hierarchy's size, and true for subclasses compiled after this code). For an interface, whether the
    /// record's interface ids hold the interface's (a short loop).
    /// </summary>
    LLVMValueRef IsInstance(LLVMValueRef value, Type tested)
    {
        LLVMBasicBlockRef entry = LlvmApi.LLVMGetInsertBlock(b), load = AppendBlock("is.record"), done = AppendBlock("is.done");
        LlvmApi.LLVMBuildCondBr(b, LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.EQ, value, LlvmApi.LLVMConstNull(t.Ptr), ""), done, load);
        LlvmApi.LLVMPositionBuilderAtEnd(b, load);
        LLVMValueRef record = module.Target.ClassRecordOf(this, value);
        (LLVMValueRef same, LLVMBasicBlockRef notFound) = tested.IsInterface ? Implements(record, ClassIdentity.Of(tested), done) : DerivesFrom(record, tested, done);
        LLVMBasicBlockRef found = LlvmApi.LLVMGetInsertBlock(b);
        LlvmApi.LLVMBuildBr(b, done);
        LlvmApi.LLVMPositionBuilderAtEnd(b, done);
        LLVMValueRef result = LlvmApi.LLVMBuildPhi(b, t.I1, "");
        LLVMValueRef no = LlvmApi.LLVMConstInt(t.I1, 0, 0);
        LLVMValueRef[] values = [no, no, same];
        LLVMBasicBlockRef[] from = [entry, notFound, found];
        fixed (LLVMValueRef* v = values)
        fixed (LLVMBasicBlockRef* f = from)
            LlvmApi.LLVMAddIncoming(result, v, f, 3);
        return result;
    }

    /// <summary>The display test for a class: to <paramref name="done"/> (false) from the returned block when the record is too shallow, else the comparison.</summary>
    (LLVMValueRef Same, LLVMBasicBlockRef NotFound) DerivesFrom(LLVMValueRef record, Type tested, LLVMBasicBlockRef done)
    {
        int depth = ClassIdentity.Ancestry(tested).Count - 1;
        LLVMBasicBlockRef shallow = LlvmApi.LLVMGetInsertBlock(b), compare = AppendBlock("is.compare");
        LLVMValueRef deep = LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.SGE, LoadAt(t.I64, record, NativeAbi.ClassRecordDepth), Int64(depth), "");
        LlvmApi.LLVMBuildCondBr(b, deep, compare, done);
        LlvmApi.LLVMPositionBuilderAtEnd(b, compare);
        return (LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.EQ, LoadAt(t.I64, record, NativeAbi.ClassRecordAncestry + 8 * depth), Int64(ClassIdentity.Of(tested)), ""), shallow);
    }

    /// <summary>
    /// The interface test: a loop over the record's interface ids, to <paramref name="done"/> (false) from the returned
    /// block when none is <paramref name="id"/>; the comparison (true) where one is.
    /// </summary>
    (LLVMValueRef Same, LLVMBasicBlockRef NotFound) Implements(LLVMValueRef record, long id, LLVMBasicBlockRef done)
    {
        LLVMValueRef table = LoadAt(t.Ptr, record, NativeAbi.ClassRecordInterfaces);
        LLVMValueRef count = LoadAt(t.I64, table, 0);
        LLVMBasicBlockRef before = LlvmApi.LLVMGetInsertBlock(b), head = AppendBlock("is.interface"), body = AppendBlock("is.interface.id"), next = AppendBlock("is.interface.next");
        LlvmApi.LLVMBuildBr(b, head);
        LlvmApi.LLVMPositionBuilderAtEnd(b, head);
        LLVMValueRef index = LlvmApi.LLVMBuildPhi(b, t.I64, "");
        LlvmApi.LLVMBuildCondBr(b, LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.SLT, index, count, ""), body, done);
        LlvmApi.LLVMPositionBuilderAtEnd(b, body);
        LLVMValueRef slot = LlvmApi.LLVMBuildAdd(b, index, Int64(1), "");
        LLVMValueRef at = LlvmApi.LLVMBuildInBoundsGEP2(b, t.I64, table, &slot, 1, "");
        LLVMValueRef same = LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.EQ, LoadAt(t.I64, at, 0), Int64(id), "");
        LLVMBasicBlockRef found = AppendBlock("is.interface.found");
        LlvmApi.LLVMBuildCondBr(b, same, found, next);
        LlvmApi.LLVMPositionBuilderAtEnd(b, next);
        LlvmApi.LLVMBuildBr(b, head);
        LLVMValueRef[] values = [Int64(0), slot];
        LLVMBasicBlockRef[] from = [before, next];
        fixed (LLVMValueRef* v = values)
        fixed (LLVMBasicBlockRef* f = from)
            LlvmApi.LLVMAddIncoming(index, v, f, 2);
        LlvmApi.LLVMPositionBuilderAtEnd(b, found);
        return (LlvmApi.LLVMConstInt(t.I1, 1, 0), head);
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
