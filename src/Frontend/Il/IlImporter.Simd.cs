using System.Reflection;
using Targets.Frontend.Ir;

namespace Targets.Frontend.Il;

/// <summary>
/// SIMD vectors as .NET users write them: the members of <c>Vector&lt;T&gt;</c>, <c>Vector64/128/256/512&lt;T&gt;</c> and
/// their static classes become <see cref="Opcode.Simd"/> operations on the vector's aggregate (see
/// <see cref="TypeContext.VectorOf"/>), which a target keeps in vector registers. What .NET checks (an array's room, a
/// lane's index) is checked first by <see cref="SimdChecks"/>, with .NET's exceptions; integer lanes divide one by one
/// with scalar division's checks, as .NET's do, and conversions convert lane by lane as C#'s casts do. Members that read memory unchecked (<c>LoadUnsafe</c>, pointers) are
/// refused, as are the members not listed in <see cref="SimdSupported"/>.
/// </summary>
internal sealed partial class IlImporter
{
    /// <summary>The vector members compiled code offers (of <c>Vector&lt;T&gt;</c>, <c>Vector64…512&lt;T&gt;</c> and their static classes): the refusal and docs/csharp-subset.md list these.</summary>
    internal static readonly string[] SimdMembers =
    [
        "ctor(T) / Create(T)", "ctor(T[]) / Create(T[])", "ctor(T[], int) / Create(T[], int)", "ctor(ReadOnlySpan<T>) / Create(ReadOnlySpan<T>)", "Create(one T per lane)",
        "CreateScalar", "Zero", "One", "AllBitsSet", "Count", "IsSupported", "IsHardwareAccelerated", "operators + - * / & | ^ ~ << >> >>> == !=", "Add", "Subtract",
        "Multiply", "Divide", "Negate", "BitwiseAnd", "BitwiseOr", "Xor", "OnesComplement", "AndNot", "Min", "Max", "Abs", "Sqrt", "SquareRoot", "Floor", "Ceiling",
        "ConditionalSelect", "Equals", "LessThan", "LessThanOrEqual", "GreaterThan", "GreaterThanOrEqual", "EqualsAll", "EqualsAny", "LessThanAll", "LessThanAny",
        "LessThanOrEqualAll", "LessThanOrEqualAny", "GreaterThanAll", "GreaterThanAny", "GreaterThanOrEqualAll", "GreaterThanOrEqualAny", "Sum", "Dot", "ShiftLeft",
        "ShiftRightArithmetic", "ShiftRightLogical", "Item (the indexer)", "GetElement", "WithElement", "ToScalar", "CopyTo(T[])", "CopyTo(T[], int)", "CopyTo(Span<T>)",
        "ConvertToInt32", "ConvertToUInt32", "ConvertToInt64", "ConvertToUInt64", "ConvertToSingle", "ConvertToDouble", "As<TFrom, TTo>", "AsByte … AsDouble, AsVectorByte … AsVectorDouble, AsVector, AsVector128 … (between vectors of one size)",
    ];

    static readonly string SimdSupported = $"compiled code offers {string.Join(", ", SimdMembers)}";

    static bool IsSimdMember(MethodBase callee) => SimdTypes.IsVector(callee.DeclaringType) || SimdTypes.IsOperationClass(callee.DeclaringType);

    /// <summary>A call of a vector member (a constructor called on an address included).</summary>
    void SimdMember(MethodBase callee)
    {
        ParameterInfo[] parameters = callee.GetParameters();
        var arguments = new ValueId[parameters.Length];
        for (int a = parameters.Length - 1; a >= 0; a--)
            arguments[a] = Pop();
        if (callee is ConstructorInfo ctor)
        {
            IrType made = SimdVector(ctor.DeclaringType!, ctor);
            ValueId address = Pop();
            Emit(Opcode.StoreIndirect, IrType.Void, [address, SimdCreate(ctor, made, parameters, arguments)], target: made);
            return;
        }
        ValueId? self = null;
        if (!callee.IsStatic)
        {
            IrType owner = SimdVector(callee.DeclaringType!, callee);
            ValueId address = Pop();
            if (TypeOf(address) != types.ByRefTo(owner))
                throw Unsupported($"calling {Describe(callee)} on a {TypeOf(address)}", "a vector's instance members are called on a local, a parameter or a result");
            self = Emit(Opcode.LoadIndirect, owner, [address], target: owner);
        }
        ValueId? result = SimdOperation((MethodInfo)callee, self, parameters, arguments);
        if (result is { } value)
            Push(value);
    }

    /// <summary><c>newobj</c> of a vector: its value.</summary>
    void NewVector(ConstructorInfo ctor)
    {
        ParameterInfo[] parameters = ctor.GetParameters();
        var arguments = new ValueId[parameters.Length];
        for (int a = parameters.Length - 1; a >= 0; a--)
            arguments[a] = Pop();
        Push(SimdCreate(ctor, SimdVector(ctor.DeclaringType!, ctor), parameters, arguments));
    }

    IrType SimdVector(Type type, MethodBase callee) =>
        types.Map(type) is { Aggregate.Lanes: > 0 } vector ? vector
            : throw Error(CompilationErrorKind.UnsupportedType, $"calling {Describe(callee)}", types.WhyNot(type) ?? $"{type.Name} is not a vector compiled code holds");

    /// <summary>A vector made from what a constructor or <c>Create</c> takes.</summary>
    ValueId SimdCreate(MethodBase callee, IrType vector, ParameterInfo[] parameters, ValueId[] arguments)
    {
        AggregateLayout layout = vector.Aggregate!;
        IrType lane = layout.LaneType!;
        Type laneType = TypeMapper.ToClr(lane);
        Type[] shape = parameters.Select(p => p.ParameterType).ToArray();
        if (shape.Length == 1 && shape[0] == laneType)
            return Simd(SimdOp.Splat, vector, arguments[0]);
        if (shape.Length == layout.Lanes && shape.All(p => p == laneType))
        {
            ValueId made = Zero(vector);
            for (int n = 0; n < shape.Length; n++)
                made = Simd(SimdOp.WithLane, vector, made, ConstI32(n), arguments[n]);
            return made;
        }
        if (shape.Length >= 1 && shape[0] == laneType.MakeArrayType() && (shape.Length == 1 || shape.Length == 2 && shape[1] == typeof(int)))
        {
            ValueId index = shape.Length == 2 ? arguments[1] : ConstI32(0);
            SimdCheck(nameof(SimdChecks.Source), lane, arguments[0], index, ConstI32(layout.Lanes));
            return Simd(SimdOp.Load, vector, CheckedLanes(lane, arguments[0], index));
        }
        if (shape.Length == 1 && SpanTypes.IsSpan(shape[0]) && shape[0].GetGenericArguments()[0] == laneType)
        {
            (ValueId array, ValueId start, ValueId length) = SpanParts(arguments[0]);
            SimdCheck(nameof(SimdChecks.SourceSpan), null, length, ConstI32(layout.Lanes));
            return Simd(SimdOp.Load, vector, CheckedLanes(lane, array, start));
        }
        throw SimdRefusal(callee);
    }

    /// <summary>Everything but construction: operators, the static classes' operations, lanes, copies, reinterpretations.</summary>
    ValueId? SimdOperation(MethodInfo callee, ValueId? self, ParameterInfo[] parameters, ValueId[] arguments)
    {
        string name = callee.Name;
        if (name is "get_IsHardwareAccelerated")
            return ConstI32((bool)callee.Invoke(null, null)! ? 1 : 0); // what .NET's JIT answers in this process
        ValueId[] operands = self is { } value ? [value, .. arguments] : arguments;
        Type[] shape = [.. (self is null ? [] : new[] { callee.DeclaringType! }), .. parameters.Select(p => p.ParameterType)];
        int first = Array.FindIndex(shape, SimdTypes.IsVector);
        Type over = first >= 0 ? shape[first] : SimdTypes.IsVector(callee.DeclaringType) ? callee.DeclaringType! : callee.ReturnType;
        if (!SimdTypes.IsVector(over))
            throw SimdRefusal(callee);
        IrType vector = SimdVector(over, callee);
        AggregateLayout layout = vector.Aggregate!;
        IrType lane = layout.LaneType!;
        Type laneType = TypeMapper.ToClr(lane);
        IrType result = callee.ReturnType == typeof(void) ? IrType.Void : types.Map(callee.ReturnType) ?? throw SimdRefusal(callee);
        bool Shape(params Type[] expected) => shape.SequenceEqual(expected);
        bool Binary() => Shape(over, over);
        // A vector of both operands: a scalar operand (v * 2f, 2f * v, v / 2f) is splat first.
        (ValueId Left, ValueId Right) Mixed() =>
            (shape[0] == laneType ? Simd(SimdOp.Splat, vector, operands[0]) : operands[0], shape[1] == laneType ? Simd(SimdOp.Splat, vector, operands[1]) : operands[1]);
        bool MixedShape() => Binary() || Shape(over, laneType) || Shape(laneType, over);
        ValueId AsResult(ValueId made) => TypeOf(made) == result ? made : Simd(SimdOp.Reinterpret, result, made);
        switch (name)
        {
            case "get_Zero" when shape.Length == 0:
                return Zero(vector);
            case "get_One" when shape.Length == 0:
                return Simd(SimdOp.Splat, vector, One(lane));
            case "get_AllBitsSet" when shape.Length == 0:
                return Simd(SimdOp.Not, vector, Zero(vector));
            case "get_Count" when shape.Length == 0:
                return ConstI32(layout.Lanes);
            case "get_IsSupported" when shape.Length == 0:
                return ConstI32(1); // the lane types compiled code maps are the ones .NET supports
            case "Create" or "CreateScalar" or "CreateScalarUnsafe" when first < 0:
                return name == "Create" ? SimdCreate(callee, vector, parameters, arguments)
                    : Shape(laneType) ? Simd(SimdOp.WithLane, vector, Zero(vector), ConstI32(0), operands[0]) : throw SimdRefusal(callee);
            case "op_Addition" or "Add" when Binary():
                return Simd(SimdOp.Add, vector, operands[0], operands[1]);
            case "op_Subtraction" or "Subtract" when Binary():
                return Simd(SimdOp.Subtract, vector, operands[0], operands[1]);
            case "op_Multiply" or "Multiply" when MixedShape():
                {
                    (ValueId l, ValueId r) = Mixed();
                    return Simd(SimdOp.Multiply, vector, l, r);
                }
            case "op_Division" or "Divide" when Binary() || Shape(over, laneType):
                {
                    (ValueId l, ValueId r) = Mixed();
                    return lane.IsFloat ? Simd(SimdOp.Divide, vector, l, r) : LaneByLaneDivide(vector, l, r);
                }
            case "op_BitwiseAnd" or "BitwiseAnd" when Binary():
                return Simd(SimdOp.And, vector, operands[0], operands[1]);
            case "op_BitwiseOr" or "BitwiseOr" when Binary():
                return Simd(SimdOp.Or, vector, operands[0], operands[1]);
            case "op_ExclusiveOr" or "Xor" when Binary():
                return Simd(SimdOp.Xor, vector, operands[0], operands[1]);
            case "AndNot" when Binary():
                return Simd(SimdOp.AndNot, vector, operands[0], operands[1]);
            case "Min" or "Max" when Binary():
                return Simd(name == "Min" ? SimdOp.Min : SimdOp.Max, vector, operands[0], operands[1]);
            case "op_OnesComplement" or "OnesComplement" when Shape(over):
                return Simd(SimdOp.Not, vector, operands[0]);
            case "op_UnaryNegation" or "Negate" when Shape(over):
                return Simd(SimdOp.Negate, vector, operands[0]);
            case "op_UnaryPlus" when Shape(over):
                return operands[0];
            case "Abs" when Shape(over):
                return Simd(SimdOp.Abs, vector, operands[0]);
            case "Sqrt" or "SquareRoot" or "Floor" or "Ceiling" when Shape(over) && lane.IsFloat:
                return Simd(name switch { "Floor" => SimdOp.Floor, "Ceiling" => SimdOp.Ceiling, _ => SimdOp.Sqrt }, vector, operands[0]);
            case "Floor" or "Ceiling" when Shape(over):
                return operands[0]; // of integers: the value itself, as .NET's
            case "op_Equality" or "op_Inequality" when Binary():
                {
                    ValueId all = Simd(SimdOp.All, IrType.I32, Simd(SimdOp.Equal, vector, operands[0], operands[1]));
                    return name == "op_Equality" ? all : Emit(Opcode.Xor, IrType.I32, [all, ConstI32(1)]);
                }
            case "Equals" when self is not null && Binary():
                return Simd(SimdOp.All, IrType.I32, EqualOrBothNaN(vector, operands[0], operands[1]));
            case "Equals" or "LessThan" or "LessThanOrEqual" or "GreaterThan" or "GreaterThanOrEqual" when self is null && Binary():
                return AsResult(Simd(Comparison(name), vector, operands[0], operands[1]));
            case "EqualsAll" or "EqualsAny" or "LessThanAll" or "LessThanAny" or "LessThanOrEqualAll" or "LessThanOrEqualAny"
                or "GreaterThanAll" or "GreaterThanAny" or "GreaterThanOrEqualAll" or "GreaterThanOrEqualAny" when Binary():
                {
                    bool all = name.EndsWith("All", StringComparison.Ordinal);
                    ValueId mask = Simd(Comparison(name[..^3]), vector, operands[0], operands[1]);
                    return Simd(all ? SimdOp.All : SimdOp.Any, IrType.I32, mask);
                }
            case "ConditionalSelect" when shape.Length == 3 && SimdTypes.IsVector(shape[1]) && shape[1] == shape[2] && SimdTypes.IsVector(shape[0]):
                {
                    IrType values = SimdVector(shape[1], callee);
                    IrType maskType = SimdVector(shape[0], callee);
                    if (maskType.Size != values.Size)
                        throw SimdRefusal(callee);
                    ValueId mask = maskType == values ? operands[0] : Simd(SimdOp.Reinterpret, values, operands[0]);
                    return Simd(SimdOp.Select, values, mask, operands[1], operands[2]);
                }
            case "Sum" when Shape(over):
                return Simd(SimdOp.Sum, lane.StackType, operands[0]);
            case "Dot" when Binary():
                return Simd(SimdOp.Sum, lane.StackType, Simd(SimdOp.Multiply, vector, operands[0], operands[1])); // .NET's Dot sums the products as Sum does
            case "ShiftLeft" or "op_LeftShift" or "ShiftRightArithmetic" or "op_RightShift" or "ShiftRightLogical" or "op_UnsignedRightShift"
                when Shape(over, typeof(int)) && !lane.IsFloat:
                {
                    SimdOp shift = name is "ShiftLeft" or "op_LeftShift" ? SimdOp.ShiftLeft
                        : name is "ShiftRightLogical" or "op_UnsignedRightShift" || lane.IsUnsigned ? SimdOp.ShiftRightLogical : SimdOp.ShiftRightArithmetic;
                    return Simd(shift, vector, operands[0], operands[1]);
                }
            case "get_Item" or "GetElement" when Shape(over, typeof(int)):
                SimdCheck(LaneCheck(over, name), null, operands[1], ConstI32(layout.Lanes));
                return Simd(SimdOp.Lane, lane.StackType, operands[0], operands[1]);
            case "WithElement" when Shape(over, typeof(int), laneType):
                SimdCheck(LaneCheck(over, name), null, operands[1], ConstI32(layout.Lanes));
                return Simd(SimdOp.WithLane, vector, operands[0], operands[1], operands[2]);
            case "ToScalar" when Shape(over):
                return Simd(SimdOp.Lane, lane.StackType, operands[0], ConstI32(0));
            case "CopyTo" when shape.Length >= 2 && shape[0] == over:
                SimdCopyTo(callee, vector, shape, operands);
                return null;
            case "As" or "AsVector" or "AsVector64" or "AsVector128" or "AsVector256" or "AsVector512" or "AsByte" or "AsSByte" or "AsInt16" or "AsUInt16"
                or "AsInt32" or "AsUInt32" or "AsInt64" or "AsUInt64" or "AsNInt" or "AsNUInt" or "AsSingle" or "AsDouble"
                or "AsVectorByte" or "AsVectorSByte" or "AsVectorInt16" or "AsVectorUInt16" or "AsVectorInt32" or "AsVectorUInt32" or "AsVectorInt64"
                or "AsVectorUInt64" or "AsVectorNInt" or "AsVectorNUInt" or "AsVectorSingle" or "AsVectorDouble"
                when Shape(over) && result.Aggregate is { Lanes: > 0 } && result.Size == vector.Size:
                return AsResult(operands[0]);
            case "ConvertToInt32" or "ConvertToUInt32" or "ConvertToInt64" or "ConvertToUInt64" or "ConvertToSingle" or "ConvertToDouble"
                when Shape(over) && result.Aggregate is { Lanes: > 0 } converted && converted.Lanes == layout.Lanes:
                return LaneByLaneConvert(vector, result, operands[0]);
            case "LoadUnsafe" or "Load" or "LoadAligned" or "LoadAlignedNonTemporal" or "StoreUnsafe" or "Store" or "StoreAligned" or "StoreAlignedNonTemporal":
                throw Error(CompilationErrorKind.UnsupportedCall, $"calling {Describe(callee)}",
                    "it reads or writes memory without a bounds check: use new Vector<T>(array, i) or Vector128.Create(array, i), and CopyTo(array, i)");
        }
        throw SimdRefusal(callee);
    }

    CompilationException SimdRefusal(MethodBase callee) =>
        Error(CompilationErrorKind.UnsupportedCall, $"calling {Describe(callee)}({string.Join(", ", callee.GetParameters().Select(p => p.ParameterType.Name))})", SimdSupported);

    /// <summary>The lane check of <paramref name="member"/> of a vector of type <paramref name="vector"/> (see <see cref="SimdChecks.NamesIndex"/>).</summary>
    static string LaneCheck(Type vector, string member) =>
        SimdChecks.NamesIndex(SimdTypes.OperationClass(vector), member) ? nameof(SimdChecks.LaneNamed) : nameof(SimdChecks.Lane);

    static SimdOp Comparison(string name) => name switch
    {
        "Equals" => SimdOp.Equal,
        "LessThan" => SimdOp.LessThan,
        "LessThanOrEqual" => SimdOp.LessOrEqual,
        "GreaterThan" => SimdOp.GreaterThan,
        _ => SimdOp.GreaterOrEqual,
    };

    ValueId Simd(SimdOp op, IrType type, params ValueId[] operands) => Emit(Opcode.Simd, type, operands, simd: op);

    ValueId One(IrType lane) => lane.IsFloat ? Emit(Opcode.Const, lane.StackType, [], floatConstant: 1) : Emit(Opcode.Const, lane.StackType, [], constant: 1);

    /// <summary>A call of the <see cref="SimdChecks"/> method <paramref name="check"/> (closed over <paramref name="lane"/> when it is generic).</summary>
    void SimdCheck(string check, IrType? lane, params ValueId[] arguments)
    {
        MethodInfo method = typeof(SimdChecks).GetMethod(check, BindingFlags.Static | BindingFlags.NonPublic)!;
        if (lane is not null)
            method = method.MakeGenericMethod(TypeMapper.ToClr(lane));
        Emit(Opcode.Call, IrType.Void, arguments, calleeIndex: ResolveCallee(method));
    }

    /// <summary><c>Equals(other)</c>: every lane equal, or both NaN (a float vector equals itself, as .NET's instance Equals says).</summary>
    ValueId EqualOrBothNaN(IrType vector, ValueId a, ValueId b)
    {
        ValueId equal = Simd(SimdOp.Equal, vector, a, b);
        if (!vector.Aggregate!.LaneType!.IsFloat)
            return equal;
        ValueId aNaN = Simd(SimdOp.Not, vector, Simd(SimdOp.Equal, vector, a, a));
        ValueId bNaN = Simd(SimdOp.Not, vector, Simd(SimdOp.Equal, vector, b, b));
        return Simd(SimdOp.Or, vector, equal, Simd(SimdOp.And, vector, aNaN, bNaN));
    }

    /// <summary>Integer lanes divided one by one, as .NET divides them: scalar division raises for a zero divisor and for MinValue / -1.</summary>
    ValueId LaneByLaneDivide(IrType vector, ValueId left, ValueId right)
    {
        AggregateLayout layout = vector.Aggregate!;
        IrType lane = layout.LaneType!;
        ValueId quotients = Zero(vector);
        for (int n = 0; n < layout.Lanes; n++)
        {
            ValueId dividend = Simd(SimdOp.Lane, lane.StackType, left, ConstI32(n));
            ValueId divisor = Simd(SimdOp.Lane, lane.StackType, right, ConstI32(n));
            ValueId quotient = Emit(lane.IsUnsigned ? Opcode.DivUn : Opcode.Div, lane.StackType, [dividend, divisor]);
            quotients = Simd(SimdOp.WithLane, vector, quotients, ConstI32(n), quotient);
        }
        return quotients;
    }

    /// <summary>
    /// A conversion (<c>ConvertToInt32</c>, <c>ConvertToSingle</c>, …) lane by lane as C#'s casts convert one number: .NET's
    /// vector conversions give the scalar casts' results (saturating, NaN to 0), which the corpus checks.
    /// </summary>
    ValueId LaneByLaneConvert(IrType from, IrType to, ValueId value)
    {
        IrType fromLane = from.Aggregate!.LaneType!, toLane = to.Aggregate!.LaneType!;
        ValueId converted = Zero(to);
        for (int n = 0; n < to.Aggregate.Lanes; n++)
        {
            ValueId lane = Simd(SimdOp.Lane, fromLane.StackType, value, ConstI32(n));
            ValueId cast = Emit(Opcode.Convert, toLane.StackType, [lane], target: toLane, sourceUnsigned: fromLane.IsUnsigned);
            converted = Simd(SimdOp.WithLane, to, converted, ConstI32(n), cast);
        }
        return converted;
    }

    /// <summary><c>CopyTo</c> into an array (from its start or from an index) or a span, after .NET's checks.</summary>
    void SimdCopyTo(MethodBase callee, IrType vector, Type[] shape, ValueId[] operands)
    {
        IrType lane = vector.Aggregate!.LaneType!;
        Type laneType = TypeMapper.ToClr(lane);
        ValueId lanes = ConstI32(vector.Aggregate.Lanes);
        ValueId array, index;
        if (shape[1] == laneType.MakeArrayType() && shape.Length == 2)
        {
            (array, index) = (operands[1], ConstI32(0));
            SimdCheck(nameof(SimdChecks.Destination), lane, array, lanes);
        }
        else if (shape[1] == laneType.MakeArrayType() && shape.Length == 3 && shape[2] == typeof(int))
        {
            (array, index) = (operands[1], operands[2]);
            SimdCheck(nameof(SimdChecks.DestinationAt), lane, array, index, lanes);
        }
        else if (shape.Length == 2 && shape[1] == typeof(Span<>).MakeGenericType(laneType))
        {
            (array, index, ValueId length) = SpanParts(operands[1]);
            SimdCheck(nameof(SimdChecks.DestinationSpan), null, length, lanes);
        }
        else
            throw SimdRefusal(callee);
        Simd(SimdOp.Store, IrType.Void, operands[0], CheckedLanes(lane, array, index));
    }

    /// <summary>
    /// The address of element <paramref name="index"/> of <paramref name="array"/>, where a <see cref="SimdChecks"/> call has
    /// just found the lanes inside the array (or a span's invariant keeps them there): the array is not null and the index
    /// is below its length, so the element access needs no check of its own.
    /// </summary>
    ValueId CheckedLanes(IrType lane, ValueId array, ValueId index) =>
        Emit(Opcode.ElementAddress, types.ByRefTo(lane), [array, index], target: lane, boundsChecked: false);

    /// <summary>A span's array, start and length (see <see cref="SpanView{T}"/>).</summary>
    (ValueId Array, ValueId Start, ValueId Length) SpanParts(ValueId span)
    {
        AggregateLayout view = TypeOf(span).Aggregate!;
        ValueId Part(string field)
        {
            int index = view.IndexOf(field);
            IrType type = view.Fields[index].Type;
            return Emit(Opcode.ExtractMember, type.StackType, [span], target: type, constant: index);
        }
        return (Part(nameof(SpanView<int>.Array)), Part(nameof(SpanView<int>.Start)), Part(nameof(SpanView<int>.Length)));
    }
}
