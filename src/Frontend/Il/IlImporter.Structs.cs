using System.Reflection;
using Targets.Frontend.Ir;

namespace Targets.Frontend.Il;

/// <summary>
/// Structs: fields of a struct value or through a byref to one (ldfld, stfld, ldflda), creation
/// (newobj of a struct constructs into a zeroed temporary slot, as the runtime does), initobj,
/// ldobj/stobj, and static readonly struct constants. A struct value is an IR aggregate; its
/// fields are read with <see cref="Opcode.ExtractMember"/> and reached in memory with
/// <see cref="Opcode.MemberAddress"/>, so every store into a struct is a store through a byref
/// (a slot's, an element's, a field's) that LLVM's SROA turns back into registers.
/// </summary>
internal sealed partial class IlImporter
{
    /// <summary>The temporary slot of the instruction at an IL offset (an instruction is imported once).</summary>
    readonly Dictionary<int, int> temporarySlots = [];

    /// <summary>
    /// A slot of <paramref name="type"/> of the instruction being imported, its own: what a struct is
    /// constructed or a constant built in, what a value whose address a call takes is copied into, what
    /// a reinterpretation goes through. LLVM's SROA turns each back into registers.
    /// </summary>
    int TemporarySlot(IrType type)
    {
        if (!temporarySlots.TryGetValue(instruction.Offset, out int slot))
        {
            slot = function.Slots.Count;
            function.Slots.Add(type);
            temporarySlots[instruction.Offset] = slot;
        }
        return slot;
    }

    /// <summary>The aggregate that declares <paramref name="field"/>, the field's index in it and its type.</summary>
    (IrType Owner, int Index, IrType Type) StructField(FieldInfo field, string opcode)
    {
        Type owner = field.DeclaringType!;
        IrType aggregate = types.Map(owner) is { Kind: IrTypeKind.Aggregate } mapped
            ? mapped
            : throw Error(CompilationErrorKind.UnsupportedType, $"{opcode} {owner.Name}.{field.Name}", types.WhyNot(owner) ?? $"struct {owner.Name} cannot be represented in compiled code");
        int index = aggregate.Aggregate!.IndexOf(field.Name);
        return (aggregate, index, aggregate.Aggregate.Fields[index].Type);
    }

    static bool IsStructField(FieldInfo field) => !field.IsStatic && field.DeclaringType is { IsValueType: true };

    /// <summary>The byref to <paramref name="owner"/> on top of the stack (a struct's address: a local's, an element's, a field's, <c>this</c>).</summary>
    ValueId PopStructAddress(IrType owner, string what)
    {
        ValueId address = Pop();
        IrType type = TypeOf(address);
        if (type.Kind != IrTypeKind.ByRef || type.Element != owner)
            throw Unsupported($"{what} of a {type}", $"expected the address of a {owner}");
        return address;
    }

    void LoadStructField(FieldInfo field)
    {
        if (IsNumber(field.DeclaringType!))
        {
            LoadNumberValue(field);
            return;
        }
        (IrType owner, int index, IrType type) = StructField(field, "ldfld");
        ValueId source = Pop();
        IrType sourceType = TypeOf(source);
        if (sourceType == owner)
        {
            Push(Emit(Opcode.ExtractMember, type.StackType, [source], target: type, constant: index));
            return;
        }
        if (sourceType.Kind != IrTypeKind.ByRef || sourceType.Element != owner)
            throw Unsupported($"field {field.Name} of a {sourceType}", $"expected a {owner} or its address");
        ValueId address = Emit(Opcode.MemberAddress, types.ByRefTo(type), [source], target: type, constant: index);
        Push(Emit(Opcode.LoadIndirect, type.StackType, [address], target: type));
    }

    /// <summary>A number's only field (<c>m_value</c> in int's own members): the number, or what its address holds.</summary>
    void LoadNumberValue(FieldInfo field)
    {
        IrType number = types.Map(field.DeclaringType!)!;
        ValueId source = Pop();
        IrType sourceType = TypeOf(source);
        if (sourceType == number.StackType)
            Push(source);
        else if (sourceType.Kind == IrTypeKind.ByRef && sourceType.Element == number)
            Push(Emit(Opcode.LoadIndirect, number.StackType, [source], target: number));
        else
            throw Unsupported($"field {field.Name} of a {sourceType}", $"expected a {number} or its address");
    }

    void StoreStructField(FieldInfo field)
    {
        (IrType owner, int index, IrType type) = StructField(field, "stfld");
        ValueId value = Pop();
        ValueId address = Emit(Opcode.MemberAddress, types.ByRefTo(type), [PopStructAddress(owner, $"storing field {field.Name}")], target: type, constant: index);
        Emit(Opcode.StoreIndirect, IrType.Void, [address, value], target: type);
    }

    void StructFieldAddress(FieldInfo field)
    {
        (IrType owner, int index, IrType type) = StructField(field, "ldflda");
        Push(Emit(Opcode.MemberAddress, types.ByRefTo(type), [PopStructAddress(owner, $"the address of field {field.Name}")], target: type, constant: index));
    }

    /// <summary><c>new S(args)</c> of a struct: a zeroed temporary, the constructor on its address, then its value.</summary>
    void NewStruct(MethodBase ctor, IrType type)
    {
        int slot = TemporarySlot(type);
        ParameterInfo[] parameters = ctor.GetParameters();
        var arguments = new ValueId[parameters.Length + 1];
        for (int a = parameters.Length; a >= 1; a--)
            arguments[a] = Pop();
        Emit(Opcode.StoreSlot, IrType.Void, [Zero(type)], slot: slot);
        arguments[0] = Emit(Opcode.SlotAddress, types.ByRefTo(type), [], slot: slot);
        Emit(Opcode.Call, IrType.Void, arguments, calleeIndex: ResolveCallee(LibrarySubstitutes.For(ctor) ?? ctor));
        Push(Emit(Opcode.LoadSlot, type, [], slot: slot));
    }

    /// <summary>The type token of initobj, ldobj, stobj: a number or a struct.</summary>
    IrType ValueToken(string opcode)
    {
        Type type = ResolveType(instruction.Token);
        return types.Map(type) is { } mapped && (mapped.IsScalar || mapped.Kind == IrTypeKind.Aggregate)
            ? mapped
            : throw Error(CompilationErrorKind.UnsupportedType, $"{opcode} of {type.Name}", types.WhyNot(type) ?? "only numbers, enums and structs of them are supported here");
    }

    /// <summary>
    /// A static readonly struct field (<c>Complex.Zero</c>, a user's <c>static readonly Vec3 Origin</c>):
    /// its value, read at compile time as numeric static readonly fields are, built in a temporary.
    /// </summary>
    void LoadStructConstant(FieldInfo field, IrType type)
    {
        int slot = TemporarySlot(type);
        Emit(Opcode.StoreSlot, IrType.Void, [Zero(type)], slot: slot);
        StoreConstantFields(Emit(Opcode.SlotAddress, types.ByRefTo(type), [], slot: slot), type, field.GetValue(null)!);
        Push(Emit(Opcode.LoadSlot, type, [], slot: slot));
    }

    /// <summary>Stores the non-zero fields of <paramref name="value"/> (a boxed struct of <paramref name="type"/>) through <paramref name="address"/>.</summary>
    void StoreConstantFields(ValueId address, IrType type, object value)
    {
        AggregateLayout layout = type.Aggregate!;
        FieldInfo[] fields = ManagedLayout.FieldsOf(value.GetType());
        for (int n = 0; n < layout.Fields.Count; n++)
        {
            IrType fieldType = layout.Fields[n].Type;
            object fieldValue = fields[n].GetValue(value)!;
            ValueId member = Emit(Opcode.MemberAddress, types.ByRefTo(fieldType), [address], target: fieldType, constant: n);
            if (fieldType.Kind == IrTypeKind.Aggregate)
                StoreConstantFields(member, fieldType, fieldValue);
            else
                Emit(Opcode.StoreIndirect, IrType.Void, [member, Constant(fieldType, fieldValue)], target: fieldType);
        }
    }

    /// <summary>A constant of the scalar <paramref name="type"/> with the boxed value <paramref name="value"/> (an enum's too).</summary>
    ValueId Constant(IrType type, object value)
    {
        if (type.IsFloat)
            return Emit(Opcode.Const, type.StackType, [], floatConstant: System.Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture));
        if (value.GetType().IsEnum)
            value = System.Convert.ChangeType(value, Enum.GetUnderlyingType(value.GetType()), System.Globalization.CultureInfo.InvariantCulture);
        long bits = value switch
        {
            ulong u => unchecked((long)u),
            nuint nu => unchecked((long)nu),
            nint ni => ni,
            bool b => b ? 1 : 0,
            char c => c,
            _ => System.Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture),
        };
        return Emit(Opcode.Const, type.StackType, [], constant: bits);
    }
}
