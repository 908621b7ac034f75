using Targets.Frontend.Ir;
using Targets.Llvm.Interop;

namespace Targets.Llvm.Lowering;

/// <summary>
/// Conversions with .NET 10's x64 semantics: integer narrowing truncates, widening extends by the
/// target's signedness; float to integer saturates (NaN gives 0) and, for types narrower than 32
/// bits, saturates to int32 first and then truncates; checked conversions raise OverflowException
/// when the (truncated) value does not fit. An instance converts to its address (an identity hash's input).
/// </summary>
public sealed unsafe partial class FunctionLowering
{
    LLVMValueRef Convert(Instruction i)
    {
        LLVMValueRef value = V(i.Operands[0]);
        IrType source = TypeOf(i.Operands[0]);
        IrType target = i.TargetType!;
        if (source.IsReference)
            return LlvmApi.LLVMBuildPtrToInt(b, value, t.I64, ""); // an instance's address, for its identity hash
        if (source.IsFloat)
            return target.IsFloat ? FloatToFloat(value, source, target) : FloatToInteger(value, source, target, i.Checked);
        if (target.IsFloat)
        {
            LLVMTypeRef to = t.Value(target);
            return i.SourceUnsigned ? LlvmApi.LLVMBuildUIToFP(b, value, to, "") : LlvmApi.LLVMBuildSIToFP(b, value, to, "");
        }
        if (i.Checked)
            CheckIntegerFits(value, source, target, i.SourceUnsigned);
        return IntegerToInteger(value, source, target, i.SourceUnsigned);
    }

    LLVMValueRef FloatToFloat(LLVMValueRef value, IrType source, IrType target)
    {
        if (source == target)
            return value;
        return target == IrType.F32 ? LlvmApi.LLVMBuildFPTrunc(b, value, t.F32, "") : LlvmApi.LLVMBuildFPExt(b, value, t.F64, "");
    }

    /// <summary>
    /// Truncates or extends to the target's width (zero-extending an unsigned source or into an
    /// unsigned target, as conv.u8 and conv.ovf.i8.un do), then widens to the target's stack type.
    /// </summary>
    LLVMValueRef IntegerToInteger(LLVMValueRef value, IrType source, IrType target, bool sourceUnsigned)
    {
        int fromBits = source == IrType.I32 ? 32 : 64;
        int toBits = LlvmTypes.Bits(target);
        LLVMTypeRef memory = t.Memory(target);
        LLVMValueRef resized = fromBits == toBits ? value
            : fromBits > toBits ? LlvmApi.LLVMBuildTrunc(b, value, memory, "")
            : target.IsUnsigned || sourceUnsigned ? LlvmApi.LLVMBuildZExt(b, value, memory, "") : LlvmApi.LLVMBuildSExt(b, value, memory, "");
        return ToStack(resized, target);
    }

    void CheckIntegerFits(LLVMValueRef value, IrType source, IrType target, bool sourceUnsigned)
    {
        int fromBits = source == IrType.I32 ? 32 : 64;
        int toBits = LlvmTypes.Bits(target);
        LLVMTypeRef type = LlvmApi.LLVMTypeOf(value);
        LLVMValueRef? tooBig = null, tooSmall = null;
        if (sourceUnsigned)
        {
            // The source is read as unsigned: it fits when it is at most the target's maximum.
            ulong max = MaxOf(target);
            ulong sourceMax = fromBits == 32 ? uint.MaxValue : ulong.MaxValue;
            if (max < sourceMax)
                tooBig = LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.UGT, value, LlvmApi.LLVMConstInt(type, max, 0), "");
        }
        else if (target.IsUnsigned)
        {
            tooSmall = LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.SLT, value, LlvmApi.LLVMConstNull(type), "");
            if (toBits < fromBits)
                tooBig = LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.SGT, value, LlvmApi.LLVMConstInt(type, MaxOf(target), 0), "");
        }
        else if (toBits < fromBits)
        {
            tooSmall = LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.SLT, value, ConstOf(type, MinOf(target)), "");
            tooBig = LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.SGT, value, LlvmApi.LLVMConstInt(type, MaxOf(target), 0), "");
        }
        LLVMValueRef? fails = tooBig is { } big && tooSmall is { } small ? LlvmApi.LLVMBuildOr(b, big, small, "") : tooBig ?? tooSmall;
        if (fails is { } condition)
            RaiseIf(condition, Overflow, "conv.overflow");
    }

    LLVMValueRef FloatToInteger(LLVMValueRef value, IrType source, IrType target, bool isChecked)
    {
        int toBits = LlvmTypes.Bits(target);
        if (isChecked)
        {
            // Fits when trunc(x) lies in [min, max + 1); the bounds are powers of two, exact in float and double.
            (LLVMValueRef truncate, LLVMTypeRef truncType) = module.Intrinsic("llvm.trunc", t.Value(source));
            LLVMValueRef truncated = LlvmApi.LLVMBuildCall2(b, truncType, truncate, &value, 1, "");
            LLVMTypeRef floatType = t.Value(source);
            double low = target.IsUnsigned ? 0 : -Math.Pow(2, toBits - 1);
            double high = target.IsUnsigned ? Math.Pow(2, toBits) : Math.Pow(2, toBits - 1);
            LLVMValueRef inLow = LlvmApi.LLVMBuildFCmp(b, LLVMRealPredicate.OGE, truncated, LlvmApi.LLVMConstReal(floatType, low), "");
            LLVMValueRef inHigh = LlvmApi.LLVMBuildFCmp(b, LLVMRealPredicate.OLT, truncated, LlvmApi.LLVMConstReal(floatType, high), "");
            RaiseIf(LlvmApi.LLVMBuildNot(b, LlvmApi.LLVMBuildAnd(b, inLow, inHigh, ""), ""), Overflow, "conv.overflow");
            LLVMTypeRef memory = t.Memory(target);
            LLVMValueRef exact = target.IsUnsigned ? LlvmApi.LLVMBuildFPToUI(b, value, memory, "") : LlvmApi.LLVMBuildFPToSI(b, value, memory, "");
            return ToStack(exact, target);
        }
        if (toBits < 32)
        {
            // .NET saturates to int32, then narrows by truncation: (byte)300.0 == 44, (byte)1e20 == 255.
            LLVMValueRef wide = Saturate(value, source, t.I32, signed: true);
            return ToStack(LlvmApi.LLVMBuildTrunc(b, wide, t.Memory(target), ""), target);
        }
        LLVMValueRef saturated = Saturate(value, source, t.Memory(target), signed: !target.IsUnsigned);
        return ToStack(saturated, target);
    }

    LLVMValueRef Saturate(LLVMValueRef value, IrType source, LLVMTypeRef to, bool signed)
    {
        (LLVMValueRef fn, LLVMTypeRef fnType) = module.Intrinsic(signed ? "llvm.fptosi.sat" : "llvm.fptoui.sat", to, t.Value(source));
        return LlvmApi.LLVMBuildCall2(b, fnType, fn, &value, 1, "");
    }

    static ulong MaxOf(IrType type) => type.Kind switch
    {
        IrTypeKind.I8 => (ulong)sbyte.MaxValue,
        IrTypeKind.U8 or IrTypeKind.Bool => byte.MaxValue,
        IrTypeKind.I16 => (ulong)short.MaxValue,
        IrTypeKind.U16 or IrTypeKind.Char => ushort.MaxValue,
        IrTypeKind.I32 => int.MaxValue,
        IrTypeKind.U32 => uint.MaxValue,
        IrTypeKind.I64 or IrTypeKind.NInt => long.MaxValue,
        _ => ulong.MaxValue,
    };

    static long MinOf(IrType type) => type.Kind switch
    {
        IrTypeKind.I8 => sbyte.MinValue,
        IrTypeKind.I16 => short.MinValue,
        IrTypeKind.I32 => int.MinValue,
        IrTypeKind.I64 or IrTypeKind.NInt => long.MinValue,
        _ => 0,
    };
}
