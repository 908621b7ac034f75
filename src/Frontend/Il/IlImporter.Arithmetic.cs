using Targets.Frontend.Ir;

namespace Targets.Frontend.Il;

/// <summary>Arithmetic, comparisons, branches on values, and conversions, with ECMA-335's operand rules.</summary>
internal sealed partial class IlImporter
{
    /// <summary>Brings two numeric operands to one stack type (I32 with NInt widens; F32 with F64 widens).</summary>
    (ValueId, ValueId, IrType) Promote(ValueId a, ValueId b)
    {
        IrType ta = TypeOf(a), tb = TypeOf(b);
        if (ta == tb)
            return (a, b, ta);
        if (ta == IrType.I32 && tb == IrType.NInt)
            return (Widen(a, IrType.NInt), b, tb);
        if (ta == IrType.NInt && tb == IrType.I32)
            return (a, Widen(b, IrType.NInt), ta);
        if (ta.IsFloat && tb.IsFloat)
            return (Widen(a, IrType.F64), Widen(b, IrType.F64), IrType.F64);
        if (ta.IsReference && tb.IsReference)
            return (a, b, ta.Kind == IrTypeKind.Null ? tb : ta);
        if (ta.IsReference || tb.IsReference)
            throw Unsupported($"{instruction.OpCode.Name} on a reference and a number (pointer arithmetic)", "managed pointers cannot be offset in compiled code");
        throw Error(CompilationErrorKind.InvalidIl, "malformed IL", $"{instruction.OpCode.Name} on {ta} and {tb}");
    }

    ValueId Widen(ValueId value, IrType to)
    {
        IrType from = TypeOf(value);
        if (from == to)
            return value;
        IrType target = to == IrType.NInt ? IrType.NInt : to;
        return Emit(Opcode.Convert, to, [value], target: target);
    }

    void Binary(Opcode op)
    {
        ValueId b = Pop(), a = Pop();
        (a, b, IrType type) = Promote(a, b);
        if (!type.IsScalar)
            throw Error(CompilationErrorKind.InvalidIl, "malformed IL", $"{instruction.OpCode.Name} on {type}");
        bool integerOnly = op is Opcode.And or Opcode.Or or Opcode.Xor or Opcode.DivUn or Opcode.RemUn
            or Opcode.AddOvf or Opcode.AddOvfUn or Opcode.SubOvf or Opcode.SubOvfUn or Opcode.MulOvf or Opcode.MulOvfUn;
        if (integerOnly && type.IsFloat)
            throw Error(CompilationErrorKind.InvalidIl, "malformed IL", $"{instruction.OpCode.Name} on floating-point values");
        Push(Emit(op, type, [a, b]));
    }

    void Shift(Opcode op)
    {
        ValueId amount = Pop(), value = Pop();
        IrType type = TypeOf(value);
        if (type.IsFloat || type.IsReference || TypeOf(amount).IsFloat || TypeOf(amount).IsReference)
            throw Error(CompilationErrorKind.InvalidIl, "malformed IL", $"{instruction.OpCode.Name} on {type} by {TypeOf(amount)}");
        Push(Emit(op, type, [value, amount]));
    }

    void Unary(Opcode op)
    {
        ValueId value = Pop();
        IrType type = TypeOf(value);
        if (!type.IsScalar || (op == Opcode.Not && type.IsFloat))
            throw Error(CompilationErrorKind.InvalidIl, "malformed IL", $"{instruction.OpCode.Name} on {type}");
        Push(Emit(op, type, [value]));
    }

    ValueId Compare(Condition condition)
    {
        // e is T: the caught exception's type test against null (isinst T; ldnull; cgt.un).
        if (stack.Count >= 2 && stack[^2].Caught is not null && !stack[^1].IsPseudo && TypeOf(stack[^1].Value) == IrType.Null
            && condition is Condition.Ne or Condition.GtU or Condition.Eq)
        {
            PopItem();
            return CaughtTest(PopItem(), whenTrue: condition != Condition.Eq);
        }
        ValueId b = Pop(), a = Pop();
        (a, b, _) = Promote(a, b);
        return Emit(Opcode.Compare, IrType.I32, [a, b], condition: condition);
    }

    void CompareAndBranch(Condition condition)
    {
        ValueId test = Compare(condition);
        Branch(test);
    }

    void BranchOnValue(bool whenTrue)
    {
        if (BranchOnKnown(whenTrue))
            return;
        if (stack.Count > 0 && stack[^1].Caught is not null)
        {
            Branch(CaughtTest(PopItem(), whenTrue)); // an exception filter's type test: isinst T; brtrue
            return;
        }
        ValueId value = Pop();
        IrType type = TypeOf(value);
        if (type.IsFloat)
            throw Error(CompilationErrorKind.InvalidIl, "malformed IL", $"{instruction.OpCode.Name} on {type}");
        ValueId zero = type.IsReference ? Emit(Opcode.ConstNull, IrType.Null, []) : Emit(Opcode.Const, type, [], constant: 0);
        ValueId test = Emit(Opcode.Compare, IrType.I32, [value, zero], condition: whenTrue ? Condition.Ne : Condition.Eq);
        Branch(test);
    }

    void Branch(ValueId test)
    {
        BlockTarget taken = TargetFor(instruction.Targets[0]);
        BlockTarget fallThrough = TargetFor(instruction.Next);
        Emit(Opcode.Branch, IrType.Void, [test], targets: [taken, fallThrough]);
    }

    void Switch()
    {
        ValueId value = Pop();
        if (TypeOf(value) != IrType.I32)
            throw Error(CompilationErrorKind.InvalidIl, "malformed IL", $"switch on {TypeOf(value)}");
        var targets = instruction.Targets.Select(TargetFor).ToList();
        targets.Add(TargetFor(instruction.Next));
        Emit(Opcode.Switch, IrType.Void, [value], targets: [.. targets]);
    }

    void Convert(string name)
    {
        // conv[.ovf].<to>[.un]: the target names the .NET type; ".un" reads the source as unsigned.
        bool isChecked = name.StartsWith("conv.ovf.", StringComparison.Ordinal);
        bool unsigned = name.EndsWith(".un", StringComparison.Ordinal);
        string to = name[(isChecked ? "conv.ovf.".Length : "conv.".Length)..];
        if (unsigned)
            to = to[..^3];
        IrType target = to switch
        {
            "i1" => IrType.I8, "u1" => IrType.U8, "i2" => IrType.I16, "u2" => IrType.U16,
            "i4" => IrType.I32, "u4" => IrType.U32, "i8" => IrType.I64, "u8" => IrType.U64,
            "i" => IrType.NInt, "u" => IrType.NUInt, "r4" => IrType.F32, "r8" => IrType.F64,
            "r" => IrType.F64, // conv.r.un: unsigned integer to F
            _ => throw Error(CompilationErrorKind.InvalidIl, "malformed IL", $"unknown conversion {name}"),
        };
        ValueId value = Pop();
        IrType source = TypeOf(value);
        if (source.IsReference)
            throw Unsupported($"{name} of a reference", "converting pointers to integers is not supported");

        // C# writes (float)ulong as conv.r.un; conv.r4, and .NET rounds once, straight to float.
        if (name == "conv.r.un" && NextIs("conv.r4"))
            target = IrType.F32;
        Push(Emit(Opcode.Convert, target.StackType, [value], target: target, isChecked: isChecked, sourceUnsigned: unsigned));
    }

    bool NextIs(string opcode)
    {
        int n = indexOfOffset[instruction.Offset] + 1;
        return n < code.Count && code[n].OpCode.Name == opcode && !leaders.Contains(code[n].Offset);
    }
}
