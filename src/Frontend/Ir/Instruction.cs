using System.Reflection;

namespace Targets.Frontend.Ir;

/// <summary>
/// One IR instruction. Which optional fields are meaningful depends on <see cref="Op"/>; the
/// verifier checks that each opcode has what it needs.
/// </summary>
public sealed class Instruction
{
    public Instruction(Opcode op, IrType type, ValueId? result, ValueId[] operands, SourceLocation location)
    {
        Op = op;
        Type = type;
        Result = result;
        Operands = operands;
        Location = location;
    }

    public Opcode Op { get; }

    /// <summary>The result's type (Void when there is none).</summary>
    public IrType Type { get; }

    public ValueId? Result { get; }

    public ValueId[] Operands { get; set; }

    public SourceLocation Location { get; }

    /// <summary>Const: integer value (sign-extended) — for floats see <see cref="FloatConstant"/>.</summary>
    public long Constant { get; init; }

    public double FloatConstant { get; init; }

    /// <summary>LoadSlot/StoreSlot/SlotAddress: the slot index.</summary>
    public int Slot { get; init; }

    /// <summary>Compare: the condition.</summary>
    public Condition Condition { get; init; }

    /// <summary>Convert: the .NET type converted to. Element ops and indirect ops: the element type.</summary>
    public IrType? TargetType { get; init; }

    /// <summary>Convert: raise OverflowException when the value does not fit.</summary>
    public bool Checked { get; init; }

    /// <summary>Convert: the source integer is read as unsigned (<c>conv.*.un</c>, <c>conv.r.un</c>).</summary>
    public bool SourceUnsigned { get; init; }

    /// <summary>Call: the callee, an index into <see cref="IrModule.Functions"/>.</summary>
    public int Callee { get; set; } = -1;

    /// <summary>LoadField/StoreField/FieldAddress: the field of the jit class.</summary>
    public FieldInfo? Field { get; init; }

    /// <summary>Intrinsic <see cref="IntrinsicKind.StringLiteral"/>: the string's characters.</summary>
    public string? Text { get; init; }

    /// <summary>MathCall: the function.</summary>
    public MathFunction Math { get; init; }

    /// <summary>Simd: the operation.</summary>
    public SimdOp Simd { get; init; }

    /// <summary>Intrinsic: the operation (its element type in <see cref="TargetType"/> for atomics and shared arrays).</summary>
    public IntrinsicKind Intrinsic { get; init; }

    /// <summary>Raise: what is raised.</summary>
    public RaiseInfo? Exception { get; init; }

    /// <summary>
    /// Element operations: check for null and bounds. Cleared only where a pass has proven the
    /// access in bounds for every iteration (<c>VersionLoopsForBoundsChecks</c>).
    /// </summary>
    public bool BoundsChecked { get; init; } = true;

    /// <summary>
    /// Add: proven not to overflow as a signed integer (set only by passes that prove it, e.g. the
    /// index arithmetic of a bounds-versioned loop), so LLVM may widen it.
    /// </summary>
    public bool NoSignedWrap { get; init; }

    /// <summary>Incref/Decref: why the pass inserted it (printed as a comment).</summary>
    public RefcountReason? Reason { get; init; }

    /// <summary>Makes a reference its result owns (a new array or instance, a view, what a call returns), as opposed to one read or lent.</summary>
    public bool MakesReference =>
        Op is Opcode.NewArray or Opcode.NewInstance or Opcode.Call || (Op == Opcode.Intrinsic && Intrinsic == IntrinsicKind.ArrayView);

    /// <summary>A copy with new result, operands and targets (passes that duplicate code).</summary>
    public Instruction Copy(ValueId? result, ValueId[] operands, BlockTarget[] targets, bool boundsChecked, bool noSignedWrap = false) =>
        new(Op, Type, result, operands, Location)
        {
            Constant = Constant,
            FloatConstant = FloatConstant,
            Slot = Slot,
            Condition = Condition,
            TargetType = TargetType,
            Checked = Checked,
            SourceUnsigned = SourceUnsigned,
            Callee = Callee,
            Field = Field,
            Text = Text,
            Math = Math,
            Intrinsic = Intrinsic,
            Simd = Simd,
            Exception = Exception,
            BoundsChecked = boundsChecked,
            NoSignedWrap = NoSignedWrap || noSignedWrap,
            Reason = Reason,
            Targets = targets,
        };

    /// <summary>Terminators: successors. Branch: [then, else]. Switch: cases then default last.</summary>
    public BlockTarget[] Targets { get; init; } = [];

    // The passes ask these of every instruction. Loops, not LINQ: LINQ over ValueId (a struct) is
    // JIT-compiled in every process — ReadyToRun code has none for it — on each first compile's path.

    /// <summary>Whether the instruction reads <paramref name="value"/>, as an operand or as an argument of a target.</summary>
    public bool Reads(ValueId value)
    {
        foreach (ValueId operand in Operands)
        {
            if (operand == value)
                return true;
        }
        foreach (BlockTarget target in Targets)
        {
            foreach (ValueId argument in target.Arguments)
            {
                if (argument == value)
                    return true;
            }
        }
        return false;
    }

    /// <summary>Whether the instruction reads any of <paramref name="values"/> (see <see cref="Reads"/>).</summary>
    public bool ReadsAny(HashSet<ValueId> values)
    {
        foreach (ValueId operand in Operands)
        {
            if (values.Contains(operand))
                return true;
        }
        foreach (BlockTarget target in Targets)
        {
            foreach (ValueId argument in target.Arguments)
            {
                if (values.Contains(argument))
                    return true;
            }
        }
        return false;
    }

    /// <summary>The operands, each replaced by <paramref name="map"/>'s value for it.</summary>
    public ValueId[] MapOperands(Func<ValueId, ValueId> map)
    {
        var mapped = new ValueId[Operands.Length];
        for (int n = 0; n < mapped.Length; n++)
            mapped[n] = map(Operands[n]);
        return mapped;
    }
}
