namespace Targets.Frontend.Ir;

/// <summary>How a reduction's per-chunk results are combined (a <c>-=</c> reduction accumulates negated and combines by <see cref="Add"/>).</summary>
public enum ReductionOp { Add, Mul, And, Or, Xor, Min, Max }

/// <summary>One scalar reduction of a parallel loop: the operation and the variable's type (I32, U32, I64, U64, F32 or F64).</summary>
public sealed record Reduction(ReductionOp Op, IrType Type)
{
    /// <summary>The value a chunk's partial result starts from: combining with it changes nothing.</summary>
    public (long Integer, double Float) Identity => (Op, Type.IsFloat) switch
    {
        (ReductionOp.Add or ReductionOp.Or or ReductionOp.Xor, _) => (0, 0),
        (ReductionOp.Mul, _) => (1, 1),
        (ReductionOp.And, _) => (-1, 0),
        (ReductionOp.Min, true) => (0, double.PositiveInfinity),
        (ReductionOp.Max, true) => (0, double.NegativeInfinity),
        (ReductionOp.Min, false) => (Type.Kind switch { IrTypeKind.I32 => int.MaxValue, IrTypeKind.U32 => unchecked((int)uint.MaxValue), IrTypeKind.I64 => long.MaxValue, _ => -1 }, 0),
        (ReductionOp.Max, false) => (Type.Kind switch { IrTypeKind.I32 => int.MinValue, IrTypeKind.I64 => long.MinValue, _ => 0 }, 0),
        _ => throw new InvalidOperationException($"no identity for {Op}"),
    };
}

/// <summary>
/// The dispatch function of an outlined loop, <c>void (i64 count, i64 start, i64 step,
/// captures…, ref reductions…)</c>: it runs <see cref="Body"/>, <c>void (i64 first, i64 last,
/// i64 start, i64 step, captures…, ref reductions…)</c>, over iterations <c>first … last-1</c>
/// (iteration k has loop value <c>start + k·step</c>). The body combines its partial result of
/// each reduction into what the ref points at. Captures are read-only.
/// </summary>
public sealed record ParallelLoop(int Body, int Captures, IReadOnlyList<Reduction> Reductions, SourceLocation Location);
