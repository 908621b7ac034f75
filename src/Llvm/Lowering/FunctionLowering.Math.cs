using Targets.Frontend.Ir;
using Targets.Llvm.Interop;

namespace Targets.Llvm.Lowering;

/// <summary>
/// System.Math/MathF. Exact operations use LLVM intrinsics; transcendental functions are the
/// target's (<see cref="TargetLowering.Transcendental"/>). Min/Max on floats
/// use llvm.minimum/maximum: NaN wins and -0 &lt; +0, which is .NET's rule.
/// </summary>
public sealed unsafe partial class FunctionLowering
{
    /// <summary>
    /// Calls the math library function <paramref name="symbol"/> on values of <paramref name="type"/>.
    /// <paramref name="asWritten"/>: LLVM may not rewrite the call (a C library's function must run as
    /// .NET runs it: LLVM would turn pow(8, x) into exp2(3·x), off by dozens of ulps for large |x|;
    /// the fuzzer found that case).
    /// </summary>
    public LLVMValueRef CallMath(string symbol, IrType type, LLVMValueRef[] args, bool asWritten)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(args);
        LLVMTypeRef value = t.Value(type);
        LLVMTypeRef fnType = t.Context.Function(value, args.Select(_ => value).ToArray());
        LLVMValueRef fn = module.Declare(symbol, fnType);
        LLVMValueRef call;
        fixed (LLVMValueRef* p = args)
            call = LlvmApi.LLVMBuildCall2(b, fnType, fn, p, (uint)args.Length, "");
        if (asWritten)
        {
            byte[] name = "nobuiltin"u8.ToArray();
            uint kind;
            fixed (byte* n = name)
                kind = LlvmApi.LLVMGetEnumAttributeKindForName(n, (nuint)name.Length);
            LlvmApi.LLVMAddCallSiteAttribute(call, -1, LlvmApi.LLVMCreateEnumAttribute(Context, kind, 0));
        }
        return call;
    }

    static readonly RaiseInfo AbsOverflow = RaiseInfo.Of<OverflowException>("Negating the minimum value of a twos complement number is invalid.");
    static readonly RaiseInfo SignOfNaN = RaiseInfo.Of<ArithmeticException>("Function does not accept floating point Not-a-Number values.");

    LLVMValueRef MathCall(Instruction i)
    {
        IrType type = i.TargetType!;
        var args = new LLVMValueRef[i.Operands.Length];
        for (int n = 0; n < args.Length; n++)
            args[n] = V(i.Operands[n]);
        LLVMValueRef x = args[0];
        LLVMTypeRef valueType = LlvmApi.LLVMTypeOf(x);
        switch (i.Math)
        {
            case MathFunction.Abs when type.IsFloat: return CallIntrinsic("llvm.fabs", valueType, x);
            case MathFunction.Abs:
                {
                    if (!type.IsUnsigned)
                    {
                        LLVMValueRef isMin = LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.EQ, x, ConstOf(valueType, MinOf(type)), "");
                        RaiseIf(isMin, AbsOverflow, "abs.min");
                    }
                    LLVMValueRef negative = LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.SLT, x, LlvmApi.LLVMConstNull(valueType), "");
                    return LlvmApi.LLVMBuildSelect(b, negative, LlvmApi.LLVMBuildNeg(b, x, ""), x, "");
                }
            case MathFunction.Min or MathFunction.Max:
                {
                    string name = type.IsFloat
                        ? (i.Math == MathFunction.Min ? "llvm.minimum" : "llvm.maximum")
                        : (type.IsUnsigned ? (i.Math == MathFunction.Min ? "llvm.umin" : "llvm.umax")
                                           : (i.Math == MathFunction.Min ? "llvm.smin" : "llvm.smax"));
                    return CallIntrinsic(name, valueType, args);
                }
            case MathFunction.Clamp: return Clamp(type, args);
            case MathFunction.Sqrt: return CallIntrinsic("llvm.sqrt", valueType, x);
            case MathFunction.Floor: return CallIntrinsic("llvm.floor", valueType, x);
            case MathFunction.Ceiling: return CallIntrinsic("llvm.ceil", valueType, x);
            case MathFunction.Truncate: return CallIntrinsic("llvm.trunc", valueType, x);
            case MathFunction.Round: return CallIntrinsic("llvm.roundeven", valueType, x);
            case MathFunction.FusedMultiplyAdd: return CallIntrinsic("llvm.fma", valueType, args);
            case MathFunction.CopySign: return CallIntrinsic("llvm.copysign", valueType, args);
            case MathFunction.Sign: return Sign(type, x);
            case MathFunction.PopCount: return Count(i, CallIntrinsic("llvm.ctpop", valueType, x));
            case MathFunction.LeadingZeroCount: return Count(i, CallIntrinsic("llvm.ctlz", valueType, x, LlvmApi.LLVMConstInt(t.I1, 0, 0)));
            case MathFunction.TrailingZeroCount: return Count(i, CallIntrinsic("llvm.cttz", valueType, x, LlvmApi.LLVMConstInt(t.I1, 0, 0)));
            // A funnel shift of a value with itself is a rotation; its amount is taken modulo the width, as .NET's.
            case MathFunction.RotateLeft: return CallIntrinsic("llvm.fshl", valueType, x, x, args[1]);
            case MathFunction.RotateRight: return CallIntrinsic("llvm.fshr", valueType, x, x, args[1]);
            case MathFunction.Cbrt or MathFunction.Sin or MathFunction.Cos or MathFunction.Tan or MathFunction.Sinh
                or MathFunction.Cosh or MathFunction.Tanh or MathFunction.Asin or MathFunction.Acos or MathFunction.Atan
                or MathFunction.Atan2 or MathFunction.Exp or MathFunction.Log or MathFunction.Log2 or MathFunction.Log10
                or MathFunction.Pow:
                return module.Target.Transcendental(this, i.Math, type, args);
        }
        throw new InvalidOperationException($"no lowering for Math.{i.Math} on {type}");
    }

    /// <summary>A bit count (as wide as its operand) as the instruction's result type (an int).</summary>
    LLVMValueRef Count(Instruction i, LLVMValueRef count) => LlvmApi.LLVMBuildIntCast2(b, count, t.Value(TypeOf(i.Result!.Value)), 0, "");

    LLVMValueRef CallIntrinsic(string name, LLVMTypeRef type, params LLVMValueRef[] args) => CallOverloadedIntrinsic(name, [type], args);

    /// <summary>A call of the LLVM intrinsic <paramref name="name"/> overloaded on several types (<c>llvm.memmove.p0.p0.i64</c>).</summary>
    LLVMValueRef CallOverloadedIntrinsic(string name, LLVMTypeRef[] overloads, params LLVMValueRef[] args)
    {
        (LLVMValueRef fn, LLVMTypeRef fnType) = module.Intrinsic(name, overloads);
        fixed (LLVMValueRef* p = args)
            return LlvmApi.LLVMBuildCall2(b, fnType, fn, p, (uint)args.Length, "");
    }

    LLVMValueRef Sign(IrType type, LLVMValueRef x)
    {
        LLVMValueRef zero = LlvmApi.LLVMConstNull(LlvmApi.LLVMTypeOf(x));
        LLVMValueRef positive, negative;
        if (type.IsFloat)
        {
            RaiseIf(LlvmApi.LLVMBuildFCmp(b, LLVMRealPredicate.UNO, x, x, ""), SignOfNaN, "sign.nan");
            positive = LlvmApi.LLVMBuildFCmp(b, LLVMRealPredicate.OGT, x, zero, "");
            negative = LlvmApi.LLVMBuildFCmp(b, LLVMRealPredicate.OLT, x, zero, "");
        }
        else
        {
            positive = LlvmApi.LLVMBuildICmp(b, type.IsUnsigned ? LLVMIntPredicate.UGT : LLVMIntPredicate.SGT, x, zero, "");
            negative = type.IsUnsigned ? LlvmApi.LLVMConstInt(t.I1, 0, 0) : LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.SLT, x, zero, "");
        }
        return LlvmApi.LLVMBuildSub(b, LlvmApi.LLVMBuildZExt(b, positive, t.I32, ""), LlvmApi.LLVMBuildZExt(b, negative, t.I32, ""), "");
    }

    /// <summary>
    /// Math.Clamp exactly as .NET writes it: min &gt; max throws ArgumentException naming both values;
    /// otherwise value &lt; min gives min, value &gt; max gives max, else value (so NaN stays NaN).
    /// </summary>
    LLVMValueRef Clamp(IrType type, LLVMValueRef[] args)
    {
        LLVMValueRef value = args[0], min = args[1], max = args[2];
        LLVMValueRef minAboveMax, below, above;
        if (type.IsFloat)
        {
            minAboveMax = LlvmApi.LLVMBuildFCmp(b, LLVMRealPredicate.OGT, min, max, "");
            below = LlvmApi.LLVMBuildFCmp(b, LLVMRealPredicate.OLT, value, min, "");
            above = LlvmApi.LLVMBuildFCmp(b, LLVMRealPredicate.OGT, value, max, "");
        }
        else
        {
            LLVMIntPredicate gt = type.IsUnsigned ? LLVMIntPredicate.UGT : LLVMIntPredicate.SGT;
            LLVMIntPredicate lt = type.IsUnsigned ? LLVMIntPredicate.ULT : LLVMIntPredicate.SLT;
            minAboveMax = LlvmApi.LLVMBuildICmp(b, gt, min, max, "");
            below = LlvmApi.LLVMBuildICmp(b, lt, value, min, "");
            above = LlvmApi.LLVMBuildICmp(b, gt, value, max, "");
        }
        LLVMBasicBlockRef raise = LlvmApi.LLVMAppendBasicBlockInContext(Context, function, "clamp.raise");
        LLVMBasicBlockRef ok = LlvmApi.LLVMAppendBasicBlockInContext(Context, function, "clamp.ok");
        LlvmApi.LLVMBuildCondBr(b, minAboveMax, raise, ok);
        LlvmApi.LLVMPositionBuilderAtEnd(b, raise);
        NativeAbi.ExceptionFormatKind format = type.Kind switch
        {
            IrTypeKind.F64 => NativeAbi.ExceptionFormatKind.ClampDouble,
            IrTypeKind.F32 => NativeAbi.ExceptionFormatKind.ClampSingle,
            _ when type.IsUnsigned => NativeAbi.ExceptionFormatKind.ClampUnsigned,
            _ => NativeAbi.ExceptionFormatKind.ClampSigned,
        };
        FillExceptionRecord(RaiseInfo.IndexOf(typeof(ArgumentException)), format, null, AsBits(min, type), AsBits(max, type));
        LlvmApi.LLVMBuildBr(b, RaiseTarget());
        LlvmApi.LLVMPositionBuilderAtEnd(b, ok);
        LLVMValueRef result = LlvmApi.LLVMBuildSelect(b, above, max, value, "");
        return LlvmApi.LLVMBuildSelect(b, below, min, result, "");
    }

    /// <summary>A value as the 64 bits the exception record carries (integers extended, floats as double bits).</summary>
    LLVMValueRef AsBits(LLVMValueRef value, IrType type)
    {
        if (type.IsFloat)
        {
            LLVMValueRef wide = type == IrType.F32 ? LlvmApi.LLVMBuildFPExt(b, value, t.F64, "") : value;
            return LlvmApi.LLVMBuildBitCast(b, wide, t.I64, "");
        }
        if (type.IsString)
            return LlvmApi.LLVMBuildPtrToInt(b, value, t.I64, ""); // its descriptor, which the host reads (ExceptionRecord)
        if (type.StackType != IrType.I32)
            return value;
        return type.IsUnsigned ? LlvmApi.LLVMBuildZExt(b, value, t.I64, "") : LlvmApi.LLVMBuildSExt(b, value, t.I64, "");
    }
}
