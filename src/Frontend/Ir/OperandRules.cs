namespace Targets.Frontend.Ir;

/// <summary>
/// What an opcode requires of an instruction: how many operands it takes, whether it has a result
/// (null: the check decides), and a check of the operand types, the result type and the immediates
/// it needs, giving null when they hold and otherwise what is wrong. The <see cref="IrVerifier"/> applies it to every
/// instruction after every pass.
/// </summary>
public sealed record OperandRule(int MinOperands, int MaxOperands, bool? HasResult, Func<TypedInstruction, string?> Check)
{
    public OperandRule(int operands, bool? hasResult, Func<TypedInstruction, string?> check) : this(operands, operands, hasResult, check) { }
}

/// <summary>An instruction with what its rule needs to see around it: the types of its operands, its slots, its callee.</summary>
public readonly record struct TypedInstruction(IrModule Module, IrFunction Function, Instruction Instruction)
{
    public IrType Operand(int n) => Function.TypeOf(Instruction.Operands[n]);

    public int Count => Instruction.Operands.Length;

    public IrType Result => Instruction.Type;
}

/// <summary>
/// The rule of each <see cref="Opcode"/>, from one exhaustive switch beside <see cref="OpcodeInfo"/>'s
/// effects: a new opcode without a rule does not compile (CS8509 is an error). The rules state the
/// IR's typing, which follows ECMA-335's evaluation stack: values are stack types (I32 for every
/// integer of 32 bits or less), memory (slots, elements, fields) holds declared types, and a value
/// is stored where <see cref="Assignable"/> says it fits.
/// </summary>
public static class OperandRules
{
    /// <summary>
    /// The rules, each made on first use and kept: the verifier asks for one per instruction after
    /// every pass. (Sized by the names, not <c>Enum.GetValues&lt;Opcode&gt;</c>: a generic over our
    /// enum would be JIT-compiled in every process, on the first compile's path.)
    /// </summary>
#pragma warning disable CA2263 // the generic overload is what this avoids (see above)
    static readonly OperandRule?[] Rules = new OperandRule?[Enum.GetNames(typeof(Opcode)).Length];
#pragma warning restore CA2263

    public static OperandRule Of(Opcode op) => Rules[(int)op] ??= Make(op); // a race makes two equal rules: harmless

    static OperandRule Make(Opcode op) => op switch
    {
        Opcode.Const => new(0, true, i => i.Result.IsScalar || i.Result.Kind == IrTypeKind.Aggregate && i.Instruction.Constant == 0 ? null
            : $"a constant of type {i.Result} (references are const_null, a struct's only constant is 0: default)"),
        Opcode.ConstNull => new(0, true, i => Expect(i.Result == IrType.Null, $"const_null of type {i.Result}")),
        Opcode.LoadSlot => new(0, true, i => Slot(i) ?? Expect(i.Result == i.Function.Slots[i.Instruction.Slot].StackType,
            $"loads {i.Result} from s{i.Instruction.Slot} of type {SlotType(i)}")),
        Opcode.StoreSlot => new(1, false, i => Slot(i) ?? Stores(i.Operand(0), SlotType(i), $"s{i.Instruction.Slot}")),
        Opcode.SlotAddress => new(0, true, i => Slot(i) ?? Expect(i.Result == i.Module.Types.ByRefTo(SlotType(i)),
            $"the address of s{i.Instruction.Slot} of type {SlotType(i)} as {i.Result}")),
        Opcode.Add or Opcode.Sub or Opcode.Mul or Opcode.Div or Opcode.Rem => new(2, true, i => Arithmetic(i, integerOnly: false)),
        Opcode.DivUn or Opcode.RemUn or Opcode.And or Opcode.Or or Opcode.Xor
            or Opcode.AddOvf or Opcode.AddOvfUn or Opcode.SubOvf or Opcode.SubOvfUn or Opcode.MulOvf or Opcode.MulOvfUn
            => new(2, true, i => Arithmetic(i, integerOnly: true)),
        Opcode.Shl or Opcode.Shr or Opcode.ShrUn => new(2, true, i =>
            Expect(IsStackInteger(i.Result) && i.Operand(0) == i.Result && IsStackInteger(i.Operand(1)),
                $"shifts {i.Operand(0)} by {i.Operand(1)} to {i.Result}")),
        Opcode.Neg => new(1, true, i => Expect(IsStackScalar(i.Result) && i.Operand(0) == i.Result, $"negates {i.Operand(0)} to {i.Result}")),
        Opcode.Not => new(1, true, i => Expect(IsStackInteger(i.Result) && i.Operand(0) == i.Result, $"complements {i.Operand(0)} to {i.Result}")),
        Opcode.Compare => new(2, true, i => Expect(i.Result == IrType.I32, $"a comparison's result is i32, not {i.Result}")
            ?? Expect((IsStackScalar(i.Operand(0)) && i.Operand(0) == i.Operand(1)) || (i.Operand(0).IsReference && i.Operand(1).IsReference),
                $"compares {i.Operand(0)} with {i.Operand(1)}")),
        Opcode.Convert => new(1, true, i => i.Instruction.TargetType is not { IsScalar: true } to
            ? $"converts to {i.Instruction.TargetType?.ToString() ?? "nothing"}"
            : Expect((IsStackScalar(i.Operand(0)) || i.Operand(0).Kind is IrTypeKind.Instance or IrTypeKind.Null && to == IrType.I64) && i.Result == to.StackType,
                $"converts {i.Operand(0)} to {to} as {i.Result}")),
        Opcode.Call => new(0, int.MaxValue, null, Call), // a call of a void function has no result
        Opcode.MathCall => new(1, 3, true, i => i.Instruction.TargetType is not { IsScalar: true } on
            ? $"{i.Instruction.Math} on {i.Instruction.TargetType?.ToString() ?? "nothing"}"
            : Arguments(i, Enumerable.Repeat(on, i.Count).ToArray()) ?? Expect(IsStackScalar(i.Result), $"{i.Instruction.Math} gives {i.Result}")),
        Opcode.NewArray => new(1, int.MaxValue, true, i =>
            Expect(i.Result.Kind == IrTypeKind.Array && i.Result.Element == i.Instruction.TargetType && i.Result.Rank == i.Count,
                $"new_array.{i.Instruction.TargetType} with {i.Count} lengths as {i.Result}") ?? Indices(i, 0)),
        Opcode.ArrayLength => new(1, true, i => Array(i) ?? Expect(i.Result == IrType.I32 || i.Result == IrType.NInt, $"a length of type {i.Result}")),
        Opcode.ArrayDimension => new(2, true, i => Array(i) ?? Indices(i, 1) ?? Expect(i.Result == IrType.I32, $"a dimension of type {i.Result}")),
        Opcode.LoadElement => new(2, int.MaxValue, true, i => Element(i, i.Count - 1)
            ?? Expect(i.Result == i.Instruction.TargetType!.StackType, $"loads {i.Result} from an array of {i.Instruction.TargetType}")),
        Opcode.StoreElement => new(3, int.MaxValue, false, i => Element(i, i.Count - 2)
            ?? Stores(i.Operand(i.Count - 1), i.Instruction.TargetType!, "an element")),
        Opcode.ElementAddress => new(2, int.MaxValue, true, i => Element(i, i.Count - 1)
            ?? Expect(i.Result == i.Module.Types.ByRefTo(i.Instruction.TargetType!), $"the address of an element of {i.Instruction.TargetType} as {i.Result}")),
        Opcode.LoadIndirect => new(1, true, i => Indirect(i) ?? Expect(i.Result == i.Instruction.TargetType!.StackType,
            $"loads {i.Result} through {i.Operand(0)} as {i.Instruction.TargetType}")),
        Opcode.StoreIndirect => new(2, false, i => Indirect(i) ?? Stores(i.Operand(1), i.Instruction.TargetType!, $"a {i.Operand(0)}")),
        Opcode.Incref or Opcode.Decref => new(1, false, i => Expect(i.Operand(0).IsCounted || i.Operand(0) == IrType.Null, $"counts a {i.Operand(0)}")),
        Opcode.NewInstance => new(0, true, i => Expect(i.Result.Kind == IrTypeKind.Instance, $"new_instance of {i.Result}")),
        Opcode.LoadField => new(1, true, i => Field(i) ?? Expect(i.Result == i.Instruction.TargetType!.StackType,
            $"loads {i.Result} from a field of type {i.Instruction.TargetType}")),
        Opcode.StoreField => new(2, false, i => Field(i) ?? Stores(i.Operand(1), i.Instruction.TargetType!, $"field {i.Instruction.Field!.Name}")),
        Opcode.FieldAddress => new(1, true, i => Field(i) ?? Expect(i.Result == i.Module.Types.ByRefTo(i.Instruction.TargetType!),
            $"the address of a field of type {i.Instruction.TargetType} as {i.Result}")),
        Opcode.ExtractMember => new(1, true, i => Member(i, i.Operand(0)) ?? Expect(i.Result == i.Instruction.TargetType!.StackType,
            $"extracts {i.Result} from a field of type {i.Instruction.TargetType}")),
        Opcode.MemberAddress => new(1, true, i => Expect(i.Operand(0).Kind == IrTypeKind.ByRef, $"the address of a field through {i.Operand(0)}")
            ?? Member(i, i.Operand(0).Element!) ?? Expect(i.Result == i.Module.Types.ByRefTo(i.Instruction.TargetType!),
                $"the address of a field of type {i.Instruction.TargetType} as {i.Result}")),
        Opcode.Simd => new(1, 3, null, Simd), // operands and result depend on the operation: checked there
        Opcode.CheckNull => new(1, false, i => Expect(i.Operand(0).IsReference, $"a null check of {i.Operand(0)}")),
        Opcode.ClassOf => new(1, true, i => Expect(i.Operand(0).Kind == IrTypeKind.Instance && i.Result == IrType.I64, $"the class of {i.Operand(0)} as {i.Result}")),
        Opcode.AsInstance => new(1, true, i => Expect(i.Operand(0).Kind == IrTypeKind.Instance && i.Result.Kind == IrTypeKind.Instance && Related(i.Operand(0), i.Result),
            $"tests {i.Operand(0)} for {i.Result}, not a class derived from it nor an interface")),
        Opcode.CastInstance => new(1, true, i => Expect(i.Operand(0).Kind == IrTypeKind.Instance && i.Result.Kind == IrTypeKind.Instance
            && (Related(i.Operand(0), i.Result) || i.Result.JitClass!.IsAssignableFrom(i.Operand(0).JitClass)),
            $"casts {i.Operand(0)} to {i.Result}, outside its hierarchy")),
        Opcode.Intrinsic => new(0, 5, null, Intrinsic), // whether it has a result depends on the kind: checked there
        Opcode.Jump => new(0, false, i => Expect(i.Instruction.Targets.Length == 1, $"jump with {i.Instruction.Targets.Length} targets")),
        Opcode.Branch => new(1, false, i => Expect(i.Instruction.Targets.Length == 2, $"branch with {i.Instruction.Targets.Length} targets")
            ?? Expect(i.Operand(0) == IrType.I32, $"branches on {i.Operand(0)}")),
        Opcode.Switch => new(1, false, i => Expect(i.Instruction.Targets.Length >= 1, "switch without a default")
            ?? Expect(i.Operand(0) == IrType.I32, $"switches on {i.Operand(0)}")),
        Opcode.Return => new(0, 1, false, Return),
        Opcode.Catches => new(0, true, i => i.Instruction.Exception is null ? "catches nothing"
            : i.Instruction.Constant is not (0 or 1) ? $"catches with mode {i.Instruction.Constant}" : Expect(i.Result == IrType.I32, $"catches into {i.Result}")),
        Opcode.Rethrow => new(0, false, i => Expect(i.Instruction.Targets.Length == 0, $"rethrow with {i.Instruction.Targets.Length} targets")),
        Opcode.SaveException or Opcode.RestoreException => new(0, false, i => Expect(i.Instruction.Constant >= 0, $"keeps an exception under #{i.Instruction.Constant}")),
        Opcode.Raise => new(0, ExceptionConstructor.MaxRuntimeValues, false, i => i.Instruction.Exception is null ? "raises nothing"
            : Expect(i.Count == 0 || i.Instruction.Exception.Constructor is not null, $"raises {i.Instruction.Exception} with {i.Count} values")),
    };

    /// <summary>
    /// Whether a value of type <paramref name="value"/> may be stored where <paramref name="declared"/> is held
    /// (ECMA-335's assignment compatibility, for the types the IR has): the declared type's stack type,
    /// any integer into any integer location of the same width class and the other float (the store
    /// converts, as <c>stloc</c> and <c>stfld</c> do), null into any reference, and an instance where a base class's is held.
    /// </summary>
    public static bool Assignable(IrType value, IrType declared)
    {
        if (value == declared || value == declared.StackType)
            return true;
        if (value == IrType.Null)
            return declared.IsReference;
        if (value.Kind == IrTypeKind.Instance && declared.Kind == IrTypeKind.Instance)
            return declared.JitClass!.IsAssignableFrom(value.JitClass); // a derived class's instance where its base is held
        if (declared.IsFloat)
            return value.IsFloat;
        return IsStackInteger(value) && declared.IsInteger;
    }

    static string? Expect(bool holds, string otherwise) => holds ? null : otherwise;

    /// <summary>Whether an instance of <paramref name="from"/> may be one of <paramref name="to"/>: a class derived from it, or an interface on either side.</summary>
    static bool Related(IrType from, IrType to) =>
        from.JitClass!.IsAssignableFrom(to.JitClass) || from.JitClass.IsInterface || to.JitClass!.IsInterface;

    static bool IsStackInteger(IrType type) => type == IrType.I32 || type == IrType.I64 || type == IrType.NInt;

    static bool IsStackScalar(IrType type) => IsStackInteger(type) || type.IsFloat;

    static IrType SlotType(TypedInstruction i) => i.Function.Slots[i.Instruction.Slot];

    static string? Slot(TypedInstruction i) =>
        Expect(i.Instruction.Slot >= 0 && i.Instruction.Slot < i.Function.Slots.Count, $"names missing slot s{i.Instruction.Slot}");

    static string? Stores(IrType value, IrType declared, string where) => Expect(Assignable(value, declared), $"stores {value} into {where} of type {declared}");

    static string? Arithmetic(TypedInstruction i, bool integerOnly) =>
        Expect((integerOnly ? IsStackInteger(i.Result) : IsStackScalar(i.Result)) && i.Operand(0) == i.Result && i.Operand(1) == i.Result,
            $"{i.Instruction.Op} of {i.Operand(0)} and {i.Operand(1)} to {i.Result}");

    static string? Index(IrType type) => Expect(type == IrType.I32 || type == IrType.NInt, $"an index or length of type {type}");

    static string? Indices(TypedInstruction i, int from, int count = int.MaxValue)
    {
        for (int n = from; n < i.Count && n < from + count; n++)
        {
            if (Index(i.Operand(n)) is { } wrong)
                return wrong;
        }
        return null;
    }

    static string? Array(TypedInstruction i) => Expect(i.Operand(0).Kind == IrTypeKind.Array, $"{i.Instruction.Op} of {i.Operand(0)}");

    /// <summary>
    /// An element operation: an array whose elements the instruction's element type reads (the same
    /// type, or an integer of the same size: IL reads a <c>char[]</c> with <c>ldelem.u2</c>), then
    /// one index per dimension.
    /// </summary>
    static string? Element(TypedInstruction i, int indices)
    {
        IrType array = i.Operand(0);
        if (i.Instruction.TargetType is not { } element)
            return "an element operation without an element type";
        bool reads = array.Element == element || (array.Element is { IsInteger: true } held && element.IsInteger && held.Size == element.Size);
        return Expect(array.Kind == IrTypeKind.Array && reads && array.Rank == indices,
            $"{i.Instruction.Op}.{element} on {array} with {indices} indices") ?? Indices(i, 1, indices);
    }

    static string? Indirect(TypedInstruction i) => i.Instruction.TargetType is null ? "an indirect access without a type"
        : Expect(i.Operand(0).Kind == IrTypeKind.ByRef, $"{i.Instruction.Op} through {i.Operand(0)}");

    static string? Field(TypedInstruction i)
    {
        if (i.Instruction.Field is null || i.Instruction.TargetType is null)
            return $"{i.Instruction.Op} without a field and its type";
        IrType owner = i.Operand(0);
        return Expect(owner.Kind == IrTypeKind.Instance && i.Instruction.Field.DeclaringType!.IsAssignableFrom(owner.JitClass),
            $"field {i.Instruction.Field.DeclaringType?.Name}.{i.Instruction.Field.Name} of {owner}");
    }

    /// <summary>A field of <paramref name="aggregate"/>: the instruction's index names one, of the instruction's type.</summary>
    static string? Member(TypedInstruction i, IrType aggregate)
    {
        if (aggregate.Aggregate is not { } layout)
            return $"{i.Instruction.Op} of a {aggregate}";
        long index = i.Instruction.Constant;
        return index < 0 || index >= layout.Fields.Count ? $"{i.Instruction.Op}: {aggregate} has no field #{index}"
            : Expect(layout.Fields[(int)index].Type == i.Instruction.TargetType, $"{i.Instruction.Op}: field {layout.Fields[(int)index].Name} of {aggregate} is a {layout.Fields[(int)index].Type}, not {i.Instruction.TargetType}");
    }

    static string? Arguments(TypedInstruction i, IReadOnlyList<IrType> parameters)
    {
        if (parameters.Count != i.Count)
            return $"passes {i.Count} arguments for {parameters.Count} parameters";
        for (int n = 0; n < i.Count; n++)
        {
            if (!Assignable(i.Operand(n), parameters[n]))
                return $"passes {i.Operand(n)} for parameter {n} of type {parameters[n]}";
        }
        return null;
    }

    static string? Call(TypedInstruction i)
    {
        if (i.Instruction.Callee < 0 || i.Instruction.Callee >= i.Module.Functions.Count)
            return $"calls missing function #{i.Instruction.Callee}";
        IrFunction callee = i.Module.Functions[i.Instruction.Callee];
        return Arguments(i, callee.ParameterTypes)
            ?? Expect(i.Result == callee.ReturnType.StackType, $"call to {callee.Name}, which returns {callee.ReturnType}, gives {i.Result}");
    }

    static string? Return(TypedInstruction i)
    {
        IrType returns = i.Function.ReturnType;
        if (returns == IrType.Void)
            return Expect(i.Count == 0, "returns a value from a void function");
        return i.Count == 0 ? $"returns nothing from a function of {returns}" : Expect(Assignable(i.Operand(0), returns), $"returns {i.Operand(0)} as {returns}");
    }

    /// <summary>The typing of each <see cref="SimdOp"/> (see its documentation).</summary>
    static string? Simd(TypedInstruction i)
    {
        SimdOp op = i.Instruction.Simd;
        IrType? Lane(IrType type) => type.Aggregate?.LaneType;
        IrType vector = op is SimdOp.Splat or SimdOp.Load ? i.Result : i.Operand(0);
        if (Lane(vector) is not { } lane)
            return $"simd {op} on {vector}, not a vector";
        string? Arity(int n) => Expect(i.Count == n, $"simd {op} takes {n} operands, got {i.Count}");
        string? Same(int n) => Arity(n) ?? Expect(Enumerable.Range(0, n).All(k => i.Operand(k) == vector) && i.Result == vector,
            $"simd {op} of {string.Join(", ", Enumerable.Range(0, n).Select(i.Operand))} as {i.Result}");
        return op switch
        {
            SimdOp.Splat => Arity(1) ?? Expect(i.Operand(0) == lane.StackType, $"simd Splat of {i.Operand(0)} into {i.Result}"),
            SimdOp.Divide or SimdOp.Sqrt or SimdOp.Floor or SimdOp.Ceiling when !lane.IsFloat => $"simd {op} of {lane} lanes (floats only)",
            SimdOp.Add or SimdOp.Subtract or SimdOp.Multiply or SimdOp.Divide or SimdOp.And or SimdOp.Or or SimdOp.Xor or SimdOp.AndNot
                or SimdOp.Min or SimdOp.Max or SimdOp.Equal or SimdOp.LessThan or SimdOp.LessOrEqual or SimdOp.GreaterThan or SimdOp.GreaterOrEqual => Same(2),
            SimdOp.Negate or SimdOp.Not or SimdOp.Abs or SimdOp.Sqrt or SimdOp.Floor or SimdOp.Ceiling => Same(1),
            SimdOp.Select => Same(3),
            SimdOp.ShiftLeft or SimdOp.ShiftRightArithmetic or SimdOp.ShiftRightLogical when lane.IsFloat => $"simd {op} of {lane} lanes (integers only)",
            SimdOp.ShiftLeft or SimdOp.ShiftRightArithmetic or SimdOp.ShiftRightLogical => Arity(2)
                ?? Expect(i.Operand(1) == IrType.I32 && i.Result == vector, $"simd {op} of {vector} by {i.Operand(1)} as {i.Result}"),
            SimdOp.Sum => Arity(1) ?? Expect(i.Result == lane.StackType, $"simd Sum of {vector} as {i.Result}"),
            SimdOp.All or SimdOp.Any => Arity(1) ?? Expect(i.Result == IrType.I32, $"simd {op} of {vector} as {i.Result}"),
            SimdOp.Lane => Arity(2) ?? Expect(i.Operand(1) == IrType.I32 && i.Result == lane.StackType, $"simd Lane of {vector} at {i.Operand(1)} as {i.Result}"),
            SimdOp.WithLane => Arity(3) ?? Expect(i.Operand(1) == IrType.I32 && Assignable(i.Operand(2), lane) && i.Result == vector,
                $"simd WithLane of {vector} at {i.Operand(1)} to {i.Operand(2)} as {i.Result}"),
            SimdOp.Load => Arity(1) ?? Expect(i.Operand(0) == i.Module.Types.ByRefTo(lane), $"simd Load of {i.Result} through {i.Operand(0)}"),
            SimdOp.Store => Arity(2) ?? Expect(i.Operand(1) == i.Module.Types.ByRefTo(lane) && i.Result == IrType.Void, $"simd Store of {vector} through {i.Operand(1)}"),
            SimdOp.Reinterpret => Arity(1) ?? Expect(i.Result.Aggregate is { Lanes: > 0 } to && to.Size == vector.Size, $"simd Reinterpret of {vector} as {i.Result}"),
            _ => $"simd {op}",
        };
    }

    static string? Intrinsic(TypedInstruction i)
    {
        IntrinsicKind kind = i.Instruction.Intrinsic;
        if (i.Count != IntrinsicInfo.Arity(kind))
            return $"intrinsic {kind} takes {IntrinsicInfo.Arity(kind)} operands, got {i.Count}";
        IrType? element = i.Instruction.TargetType;
        if (IntrinsicInfo.IsCoordinate(kind))
            return Expect(i.Result == IrType.I32, $"{kind} as {i.Result}");
        if (kind == IntrinsicKind.SyncThreads)
            return Expect(i.Result == IrType.Void, $"{kind} as {i.Result}");
        if (kind == IntrinsicKind.StaticArray)
            return Expect(element is { IsScalar: true } or { Kind: IrTypeKind.Aggregate, HoldsCounted: false } && i.Result == i.Module.Types.ArrayOf(element) && i.Instruction.Field is not null,
                $"{kind} of {element} as {i.Result}");
        if (kind == IntrinsicKind.ConstantArray)
            return Expect(element is { IsScalar: true } && i.Result == i.Module.Types.ArrayOf(element) && i.Instruction.Field is not null && i.Instruction.Constant >= 0,
                $"{kind} of {i.Instruction.Constant} {element} as {i.Result}");
        if (kind == IntrinsicKind.StringLiteral)
            return Expect(i.Result == i.Module.Types.String && i.Instruction.Text is not null, $"{kind} as {i.Result}");
        if (kind == IntrinsicKind.StringChars)
            return Expect(i.Operand(0) == i.Module.Types.String && i.Result == i.Module.Types.ArrayOf(IrType.Char), $"{kind} of {i.Operand(0)} as {i.Result}");
        if (kind == IntrinsicKind.CopyBytes)
            return Expect(i.Result == IrType.Void && i.Operand(0) is { Kind: IrTypeKind.Array, Rank: 1, IsString: false, Element.IsScalar: true }
                && i.Operand(2) is { Kind: IrTypeKind.Array, Rank: 1, IsString: false, Element.IsScalar: true }
                && i.Operand(1) == IrType.I32 && i.Operand(3) == IrType.I32 && i.Operand(4) == IrType.I32,
                $"{kind} from {i.Operand(0)} at {i.Operand(1)} to {i.Operand(2)} at {i.Operand(3)}, {i.Operand(4)} bytes");
        if (kind == IntrinsicKind.ArrayView)
            return Expect(element is { IsScalar: true } or { Kind: IrTypeKind.Aggregate, HoldsCounted: false } && i.Result == i.Module.Types.ArrayOf(element)
                && i.Operand(0) is { Kind: IrTypeKind.Array, Rank: 1, IsString: false, Element: { HoldsCounted: false } } && i.Operand(1) == IrType.I64 && i.Operand(2) == IrType.I32,
                $"{kind} of {i.Operand(0)} at {i.Operand(1)}, {i.Operand(2)} {element} as {i.Result}");
        if (kind == IntrinsicKind.FrameArray)
            return Expect(element is { IsScalar: true } or { IsCounted: true } or { Kind: IrTypeKind.Aggregate } && i.Result == i.Module.Types.ArrayOf(element)
                && i.Operand(0) == i.Module.Types.ByRefTo(element) && i.Instruction.Constant > 0, $"{kind} of {i.Instruction.Constant} {element} at {i.Operand(0)} as {i.Result}");
        if (kind == IntrinsicKind.ReinterpretRef)
            return Expect(element is { IsScalar: true } or { Kind: IrTypeKind.Aggregate, HoldsCounted: false } && i.Result == i.Module.Types.ByRefTo(element)
                && i.Operand(0) is { Kind: IrTypeKind.ByRef, Element: { HoldsCounted: false } source } && source.Size >= element.Size && source.Alignment >= element.Alignment,
                $"{kind} of {i.Operand(0)} as {i.Result}");
        if (kind == IntrinsicKind.StackArray)
            return Expect(element is { IsScalar: true } or { Kind: IrTypeKind.Aggregate } && i.Result == i.Module.Types.ArrayOf(element) && i.Operand(0) == IrType.I32,
                $"{kind} of {i.Operand(0)} {element} as {i.Result}");
        if (kind == IntrinsicKind.SharedArray && element is { Kind: IrTypeKind.Aggregate })
            return Expect(i.Result == i.Module.Types.ArrayOf(element) && i.Instruction.Constant > 0, $"{kind} of {i.Instruction.Constant} {element} as {i.Result}");
        if (element is not { IsScalar: true })
            return $"{kind} of {element?.ToString() ?? "no type"}";
        if (kind == IntrinsicKind.SharedArray)
            return Expect(i.Result == i.Module.Types.ArrayOf(element) && i.Instruction.Constant > 0, $"{kind} of {i.Instruction.Constant} {element} as {i.Result}");
        if (IntrinsicInfo.IsShuffle(kind))
            return Expect(i.Result == element.StackType && i.Operand(0) == element.StackType && i.Operand(1) == IrType.I32,
                $"{kind} of {i.Operand(0)} by {i.Operand(1)} as {i.Result}");
        return Expect(i.Operand(0) == i.Module.Types.ArrayOf(element), $"{kind} on {i.Operand(0)}") ?? Index(i.Operand(1))
            ?? Expect(Assignable(i.Operand(2), element) && (i.Count < 4 || Assignable(i.Operand(3), element)) && i.Result == element.StackType,
                $"{kind}.{element} of {i.Operand(2)} as {i.Result}");
    }

}
