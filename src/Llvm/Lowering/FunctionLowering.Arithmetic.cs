using Targets.Frontend.Ir;
using Targets.Llvm.Interop;

namespace Targets.Llvm.Lowering;

/// <summary>Arithmetic with .NET's semantics: wrap-around, checked overflow, division checks, masked shifts.</summary>
public sealed unsafe partial class FunctionLowering
{
    static readonly RaiseInfo Overflow = RaiseInfo.Of<OverflowException>();
    static readonly RaiseInfo DivideByZero = RaiseInfo.Of<DivideByZeroException>();

    LLVMValueRef Binary(Instruction i)
    {
        LLVMValueRef l = V(i.Operands[0]), r = V(i.Operands[1]);
        IrType type = i.Type;
        bool isFloat = type.IsFloat;
        switch (i.Op)
        {
            case Opcode.Add:
                return isFloat ? LlvmApi.LLVMBuildFAdd(b, l, r, "")
                    : i.NoSignedWrap ? LlvmApi.LLVMBuildNSWAdd(b, l, r, "") : LlvmApi.LLVMBuildAdd(b, l, r, "");
            case Opcode.Sub: return isFloat ? LlvmApi.LLVMBuildFSub(b, l, r, "") : LlvmApi.LLVMBuildSub(b, l, r, "");
            case Opcode.Mul: return isFloat ? LlvmApi.LLVMBuildFMul(b, l, r, "") : LlvmApi.LLVMBuildMul(b, l, r, "");
            case Opcode.And: return LlvmApi.LLVMBuildAnd(b, l, r, "");
            case Opcode.Or: return LlvmApi.LLVMBuildOr(b, l, r, "");
            case Opcode.Xor: return LlvmApi.LLVMBuildXor(b, l, r, "");
            case Opcode.Div or Opcode.Rem when isFloat:
                return i.Op == Opcode.Div ? LlvmApi.LLVMBuildFDiv(b, l, r, "") : LlvmApi.LLVMBuildFRem(b, l, r, "");
            case Opcode.Div or Opcode.Rem:
                {
                    CheckDivisor(r);
                    // MinValue / -1 overflows the hardware divide; .NET raises OverflowException for / and %.
                    LLVMTypeRef llvmType = LlvmApi.LLVMTypeOf(l);
                    long min = type == IrType.I32 ? int.MinValue : long.MinValue;
                    LLVMValueRef isMin = LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.EQ, l, ConstOf(llvmType, min), "");
                    LLVMValueRef isMinusOne = LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.EQ, r, ConstOf(llvmType, -1), "");
                    RaiseIf(LlvmApi.LLVMBuildAnd(b, isMin, isMinusOne, ""), Overflow, "div.overflow");
                    return i.Op == Opcode.Div ? LlvmApi.LLVMBuildSDiv(b, l, r, "") : LlvmApi.LLVMBuildSRem(b, l, r, "");
                }
            case Opcode.DivUn:
                CheckDivisor(r);
                return LlvmApi.LLVMBuildUDiv(b, l, r, "");
            case Opcode.RemUn:
                CheckDivisor(r);
                return LlvmApi.LLVMBuildURem(b, l, r, "");
            case Opcode.Shl or Opcode.Shr or Opcode.ShrUn:
                {
                    LLVMTypeRef llvmType = LlvmApi.LLVMTypeOf(l);
                    int bits = type == IrType.I32 ? 32 : 64;
                    LLVMValueRef amount = FitInteger(r, TypeOf(i.Operands[1]), llvmType, bits);
                    // x64 masks the count by the width; C# emits the mask too. An unmasked count is poison in LLVM.
                    amount = LlvmApi.LLVMBuildAnd(b, amount, ConstOf(llvmType, bits - 1), "");
                    return i.Op switch
                    {
                        Opcode.Shl => LlvmApi.LLVMBuildShl(b, l, amount, ""),
                        Opcode.Shr => LlvmApi.LLVMBuildAShr(b, l, amount, ""),
                        _ => LlvmApi.LLVMBuildLShr(b, l, amount, ""),
                    };
                }
            case Opcode.AddOvf: return WithOverflow("llvm.sadd.with.overflow", l, r);
            case Opcode.AddOvfUn: return WithOverflow("llvm.uadd.with.overflow", l, r);
            case Opcode.SubOvf: return WithOverflow("llvm.ssub.with.overflow", l, r);
            case Opcode.SubOvfUn: return WithOverflow("llvm.usub.with.overflow", l, r);
            case Opcode.MulOvf: return WithOverflow("llvm.smul.with.overflow", l, r);
            case Opcode.MulOvfUn: return WithOverflow("llvm.umul.with.overflow", l, r);
        }
        throw new InvalidOperationException($"not a binary opcode: {i.Op}");
    }

    void CheckDivisor(LLVMValueRef divisor)
    {
        LLVMValueRef isZero = LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.EQ, divisor, LlvmApi.LLVMConstNull(LlvmApi.LLVMTypeOf(divisor)), "");
        RaiseIf(isZero, DivideByZero, "div.zero");
    }

    /// <summary>An integer stack value (I32 or I64) resized to <paramref name="bits"/> (sign-extending).</summary>
    LLVMValueRef FitInteger(LLVMValueRef value, IrType from, LLVMTypeRef to, int bits)
    {
        int fromBits = from == IrType.I32 ? 32 : 64;
        if (fromBits == bits)
            return value;
        return fromBits > bits ? LlvmApi.LLVMBuildTrunc(b, value, to, "") : LlvmApi.LLVMBuildSExt(b, value, to, "");
    }

    LLVMValueRef WithOverflow(string intrinsic, LLVMValueRef l, LLVMValueRef r)
    {
        LLVMTypeRef type = LlvmApi.LLVMTypeOf(l);
        (LLVMValueRef fn, LLVMTypeRef fnType) = module.Intrinsic(intrinsic, type);
        LLVMValueRef* args = stackalloc LLVMValueRef[] { l, r };
        LLVMValueRef pair = LlvmApi.LLVMBuildCall2(b, fnType, fn, args, 2, "");
        RaiseIf(LlvmApi.LLVMBuildExtractValue(b, pair, 1, ""), Overflow, "overflow");
        return LlvmApi.LLVMBuildExtractValue(b, pair, 0, "");
    }

    LLVMValueRef Compare(Instruction i)
    {
        LLVMValueRef l = V(i.Operands[0]), r = V(i.Operands[1]);
        IrType type = TypeOf(i.Operands[0]);
        LLVMValueRef test;
        if (type.IsFloat)
        {
            LLVMRealPredicate predicate = i.Condition switch
            {
                Condition.Eq => LLVMRealPredicate.OEQ,
                Condition.Ne => LLVMRealPredicate.UNE,
                Condition.LtS => LLVMRealPredicate.OLT,
                Condition.LeS => LLVMRealPredicate.OLE,
                Condition.GtS => LLVMRealPredicate.OGT,
                Condition.GeS => LLVMRealPredicate.OGE,
                Condition.LtU => LLVMRealPredicate.ULT,
                Condition.LeU => LLVMRealPredicate.ULE,
                Condition.GtU => LLVMRealPredicate.UGT,
                Condition.GeU => LLVMRealPredicate.UGE,
                _ => throw new InvalidOperationException($"condition {i.Condition}"),
            };
            test = LlvmApi.LLVMBuildFCmp(b, predicate, l, r, "");
        }
        else
        {
            LLVMIntPredicate predicate = i.Condition switch
            {
                Condition.Eq => LLVMIntPredicate.EQ,
                Condition.Ne => LLVMIntPredicate.NE,
                Condition.LtS => LLVMIntPredicate.SLT,
                Condition.LeS => LLVMIntPredicate.SLE,
                Condition.GtS => LLVMIntPredicate.SGT,
                Condition.GeS => LLVMIntPredicate.SGE,
                Condition.LtU => LLVMIntPredicate.ULT,
                Condition.LeU => LLVMIntPredicate.ULE,
                Condition.GtU => LLVMIntPredicate.UGT,
                Condition.GeU => LLVMIntPredicate.UGE,
                _ => throw new InvalidOperationException($"condition {i.Condition}"),
            };
            test = LlvmApi.LLVMBuildICmp(b, predicate, l, r, "");
        }
        return LlvmApi.LLVMBuildZExt(b, test, t.I32, "");
    }
}
