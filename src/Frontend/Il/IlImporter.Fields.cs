using System.Reflection;
using Targets.Frontend.Ir;

namespace Targets.Frontend.Il;

/// <summary>Fields of jit class instances: ldfld, stfld and ldflda on a reference to one.</summary>
internal sealed partial class IlImporter
{
    /// <summary>The field operand, which must be an instance field of a jit class, and its IR type.</summary>
    (FieldInfo Field, IrType Type) JitClassField(string opcode)
    {
        FieldInfo field = method.Module.ResolveField(instruction.Token, TypeArguments, MethodArguments)!;
        if (field.IsStatic || field.DeclaringType is not { } owner || !TypeMapper.IsJitClass(owner))
            throw Unsupported($"{opcode} {field.DeclaringType?.Name}.{field.Name} (fields of classes and structs)",
                "only fields of [JitClass] classes can be used in compiled code");
        IrType type = TypeMapper.Map(field.FieldType) is { Kind: not (IrTypeKind.ByRef or IrTypeKind.Void) } mapped
            ? mapped
            : throw Error(CompilationErrorKind.UnsupportedType, $"field {owner.Name}.{field.Name} of type {field.FieldType.Name}",
                "jit class fields are numeric scalars, jit class references, or arrays of either");
        return (field, type);
    }

    ValueId PopInstance(FieldInfo field)
    {
        ValueId instance = Pop();
        IrType type = TypeOf(instance);
        if (type.Kind is not (IrTypeKind.Instance or IrTypeKind.Null))
            throw Unsupported($"field {field.Name} of a {type}", "expected a jit class instance");
        return instance;
    }

    void LoadField()
    {
        (FieldInfo field, IrType type) = JitClassField("ldfld");
        ValueId instance = PopInstance(field);
        Push(Emit(Opcode.LoadField, type.StackType, [instance], target: type, field: field));
    }

    void StoreField()
    {
        (FieldInfo field, IrType type) = JitClassField("stfld");
        ValueId value = Pop();
        ValueId instance = PopInstance(field);
        Emit(Opcode.StoreField, IrType.Void, [instance, value], target: type, field: field);
    }

    void FieldAddress()
    {
        (FieldInfo field, IrType type) = JitClassField("ldflda");
        if (!type.IsScalar)
            throw Unsupported($"taking the address of reference field {field.Name}", "only numeric fields can be passed by ref");
        ValueId instance = PopInstance(field);
        Push(Emit(Opcode.FieldAddress, IrType.ByRefTo(type), [instance], target: type, field: field));
    }
}
