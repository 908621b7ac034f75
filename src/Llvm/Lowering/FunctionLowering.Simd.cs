using Targets.Frontend.Ir;
using Targets.Llvm.Interop;

namespace Targets.Llvm.Lowering;

/// <summary>
/// <see cref="Opcode.Simd"/>: SIMD vectors as LLVM vectors, so LLVM picks the host's instructions (AVX2, AVX-512).
/// Each operation gives what x64 .NET gives: float minimum and maximum as IEEE 754-2019's (llvm.minimum), masks all
/// ones or zero, shift counts masked to the lane width, sums pairwise in .NET's order, and nothing fast-math may reorder.
/// </summary>
public sealed unsafe partial class FunctionLowering
{
    LLVMValueRef Simd(Instruction i)
    {
        IrType vectorType = i.Simd is SimdOp.Splat or SimdOp.Load ? i.Type : TypeOf(i.Operands[0]);
        AggregateLayout vector = vectorType.Aggregate!;
        IrType lane = vector.LaneType!;
        LLVMTypeRef type = t.Value(vectorType);
        LLVMValueRef A() => V(i.Operands[0]);
        LLVMValueRef B() => V(i.Operands[1]);
        bool isFloat = lane.IsFloat;
        switch (i.Simd)
        {
            case SimdOp.Splat:
                {
                    LLVMValueRef one = LlvmApi.LLVMBuildInsertElement(b, LlvmApi.LLVMGetPoison(type), ToMemory(A(), TypeOf(i.Operands[0]), lane), Int32(0), "");
                    return LlvmApi.LLVMBuildShuffleVector(b, one, LlvmApi.LLVMGetPoison(type), LlvmApi.LLVMConstNull(LlvmApi.LLVMVectorType(t.I32, (uint)vector.Lanes)), "");
                }
            case SimdOp.Add:
                return isFloat ? LlvmApi.LLVMBuildFAdd(b, A(), B(), "") : LlvmApi.LLVMBuildAdd(b, A(), B(), "");
            case SimdOp.Subtract:
                return isFloat ? LlvmApi.LLVMBuildFSub(b, A(), B(), "") : LlvmApi.LLVMBuildSub(b, A(), B(), "");
            case SimdOp.Multiply:
                return isFloat ? LlvmApi.LLVMBuildFMul(b, A(), B(), "") : LlvmApi.LLVMBuildMul(b, A(), B(), "");
            case SimdOp.Divide:
                return LlvmApi.LLVMBuildFDiv(b, A(), B(), "");
            case SimdOp.And or SimdOp.Or or SimdOp.Xor or SimdOp.AndNot:
                {
                    LLVMValueRef l = Bits(A(), vector), r = Bits(B(), vector);
                    LLVMValueRef bits = i.Simd switch
                    {
                        SimdOp.And => LlvmApi.LLVMBuildAnd(b, l, r, ""),
                        SimdOp.Or => LlvmApi.LLVMBuildOr(b, l, r, ""),
                        SimdOp.Xor => LlvmApi.LLVMBuildXor(b, l, r, ""),
                        _ => LlvmApi.LLVMBuildAnd(b, l, LlvmApi.LLVMBuildNot(b, r, ""), ""),
                    };
                    return LlvmApi.LLVMBuildBitCast(b, bits, type, "");
                }
            case SimdOp.Min or SimdOp.Max:
                {
                    bool min = i.Simd == SimdOp.Min;
                    string name = isFloat ? (min ? "llvm.minimum" : "llvm.maximum")
                        : lane.IsUnsigned ? (min ? "llvm.umin" : "llvm.umax") : (min ? "llvm.smin" : "llvm.smax");
                    return CallIntrinsic(name, type, A(), B());
                }
            case SimdOp.Negate:
                return isFloat ? LlvmApi.LLVMBuildFNeg(b, A(), "") : LlvmApi.LLVMBuildNeg(b, A(), "");
            case SimdOp.Not:
                return LlvmApi.LLVMBuildBitCast(b, LlvmApi.LLVMBuildNot(b, Bits(A(), vector), ""), type, "");
            case SimdOp.Abs when isFloat:
                return CallIntrinsic("llvm.fabs", type, A());
            case SimdOp.Abs:
                // Wraps as .NET's does: the minimum value stays (is_int_min_poison false).
                return lane.IsUnsigned ? A() : CallIntrinsic("llvm.abs", type, A(), LlvmApi.LLVMConstInt(t.I1, 0, 0));
            case SimdOp.Sqrt:
                return CallIntrinsic("llvm.sqrt", type, A());
            case SimdOp.Floor:
                return CallIntrinsic("llvm.floor", type, A());
            case SimdOp.Ceiling:
                return CallIntrinsic("llvm.ceil", type, A());
            case SimdOp.Equal or SimdOp.LessThan or SimdOp.LessOrEqual or SimdOp.GreaterThan or SimdOp.GreaterOrEqual:
                {
                    LLVMValueRef test = isFloat
                        ? LlvmApi.LLVMBuildFCmp(b, i.Simd switch
                        {
                            SimdOp.Equal => LLVMRealPredicate.OEQ,
                            SimdOp.LessThan => LLVMRealPredicate.OLT,
                            SimdOp.LessOrEqual => LLVMRealPredicate.OLE,
                            SimdOp.GreaterThan => LLVMRealPredicate.OGT,
                            _ => LLVMRealPredicate.OGE,
                        }, A(), B(), "")
                        : LlvmApi.LLVMBuildICmp(b, (i.Simd, lane.IsUnsigned) switch
                        {
                            (SimdOp.Equal, _) => LLVMIntPredicate.EQ,
                            (SimdOp.LessThan, false) => LLVMIntPredicate.SLT,
                            (SimdOp.LessThan, true) => LLVMIntPredicate.ULT,
                            (SimdOp.LessOrEqual, false) => LLVMIntPredicate.SLE,
                            (SimdOp.LessOrEqual, true) => LLVMIntPredicate.ULE,
                            (SimdOp.GreaterThan, false) => LLVMIntPredicate.SGT,
                            (SimdOp.GreaterThan, true) => LLVMIntPredicate.UGT,
                            (SimdOp.GreaterOrEqual, false) => LLVMIntPredicate.SGE,
                            _ => LLVMIntPredicate.UGE,
                        }, A(), B(), "");
                    return LlvmApi.LLVMBuildBitCast(b, LlvmApi.LLVMBuildSExt(b, test, BitsType(vector), ""), type, "");
                }
            case SimdOp.Select:
                {
                    LLVMValueRef mask = Bits(A(), vector);
                    LLVMValueRef chosen = LlvmApi.LLVMBuildOr(b, LlvmApi.LLVMBuildAnd(b, Bits(B(), vector), mask, ""),
                        LlvmApi.LLVMBuildAnd(b, Bits(V(i.Operands[2]), vector), LlvmApi.LLVMBuildNot(b, mask, ""), ""), "");
                    return LlvmApi.LLVMBuildBitCast(b, chosen, type, "");
                }
            case SimdOp.ShiftLeft or SimdOp.ShiftRightArithmetic or SimdOp.ShiftRightLogical:
                {
                    int bits = lane.Size * 8;
                    LLVMTypeRef laneType = t.Memory(lane);
                    LLVMValueRef count = LlvmApi.LLVMBuildAnd(b, B(), Int32(bits - 1), "");
                    count = LlvmApi.LLVMBuildIntCast2(b, count, laneType, 0, "");
                    LLVMValueRef counts = LlvmApi.LLVMBuildShuffleVector(b, LlvmApi.LLVMBuildInsertElement(b, LlvmApi.LLVMGetPoison(type), count, Int32(0), ""),
                        LlvmApi.LLVMGetPoison(type), LlvmApi.LLVMConstNull(LlvmApi.LLVMVectorType(t.I32, (uint)vector.Lanes)), "");
                    return i.Simd switch
                    {
                        SimdOp.ShiftLeft => LlvmApi.LLVMBuildShl(b, A(), counts, ""),
                        SimdOp.ShiftRightArithmetic => LlvmApi.LLVMBuildAShr(b, A(), counts, ""),
                        _ => LlvmApi.LLVMBuildLShr(b, A(), counts, ""),
                    };
                }
            case SimdOp.Sum:
                return ToStack(PairwiseSum(A(), vector.Lanes, lane), lane);
            case SimdOp.All or SimdOp.Any:
                {
                    LLVMValueRef set = LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.NE, Bits(A(), vector), LlvmApi.LLVMConstNull(BitsType(vector)), "");
                    LLVMTypeRef word = LlvmApi.LLVMIntTypeInContext(Context, (uint)vector.Lanes);
                    LLVMValueRef packed = LlvmApi.LLVMBuildBitCast(b, set, word, "");
                    LLVMValueRef holds = i.Simd == SimdOp.All
                        ? LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.EQ, packed, LlvmApi.LLVMConstAllOnes(word), "")
                        : LlvmApi.LLVMBuildICmp(b, LLVMIntPredicate.NE, packed, LlvmApi.LLVMConstNull(word), "");
                    return LlvmApi.LLVMBuildZExt(b, holds, t.I32, "");
                }
            case SimdOp.Lane:
                return ToStack(LlvmApi.LLVMBuildExtractElement(b, A(), B(), ""), lane);
            case SimdOp.WithLane:
                return LlvmApi.LLVMBuildInsertElement(b, A(), ToMemory(V(i.Operands[2]), TypeOf(i.Operands[2]), lane), B(), "");
            case SimdOp.Load:
                {
                    LLVMValueRef load = LlvmApi.LLVMBuildLoad2(b, type, A(), "");
                    LlvmApi.LLVMSetAlignment(load, (uint)lane.Size);
                    return load;
                }
            case SimdOp.Store:
                LlvmApi.LLVMSetAlignment(LlvmApi.LLVMBuildStore(b, A(), B()), (uint)lane.Size);
                return default;
            case SimdOp.Reinterpret:
                return LlvmApi.LLVMBuildBitCast(b, A(), t.Value(i.Type), "");
        }
        throw new InvalidOperationException($"no lowering for simd {i.Simd}");
    }

    /// <summary>The integer vector as wide as <paramref name="vector"/>'s lanes (what masks and bit operations work on).</summary>
    LLVMTypeRef BitsType(AggregateLayout vector) => LlvmApi.LLVMVectorType(t.Memory(vector.LaneType!.Size switch
    {
        1 => IrType.U8,
        2 => IrType.U16,
        4 => IrType.U32,
        _ => IrType.U64,
    }), (uint)vector.Lanes);

    LLVMValueRef Bits(LLVMValueRef value, AggregateLayout vector) =>
        vector.LaneType!.IsFloat ? LlvmApi.LLVMBuildBitCast(b, value, BitsType(vector), "") : value;

    /// <summary>
    /// The lanes' sum in .NET's order: adjacent lanes added pairwise, then adjacent pairs, until one is left (for eight,
    /// ((e0+e1)+(e2+e3))+((e4+e5)+(e6+e7))), each level one vector addition of the even lanes and the odd ones.
    /// </summary>
    LLVMValueRef PairwiseSum(LLVMValueRef value, int lanes, IrType lane)
    {
        LLVMTypeRef element = t.Memory(lane);
        while (lanes > 1)
        {
            int half = lanes / 2;
            var evens = new LLVMValueRef[half];
            var odds = new LLVMValueRef[half];
            for (int n = 0; n < half; n++)
            {
                evens[n] = Int32(2 * n);
                odds[n] = Int32(2 * n + 1);
            }
            LLVMValueRef even, odd;
            LLVMValueRef poison = LlvmApi.LLVMGetPoison(LlvmApi.LLVMVectorType(element, (uint)lanes));
            fixed (LLVMValueRef* e = evens)
                even = LlvmApi.LLVMBuildShuffleVector(b, value, poison, LlvmApi.LLVMConstVector(e, (uint)half), "");
            fixed (LLVMValueRef* o = odds)
                odd = LlvmApi.LLVMBuildShuffleVector(b, value, poison, LlvmApi.LLVMConstVector(o, (uint)half), "");
            value = lane.IsFloat ? LlvmApi.LLVMBuildFAdd(b, even, odd, "") : LlvmApi.LLVMBuildAdd(b, even, odd, "");
            lanes = half;
        }
        return LlvmApi.LLVMBuildExtractElement(b, value, Int32(0), "");
    }
}
