using System.Reflection;
using Targets.Frontend.Ir;

namespace Targets.Frontend.Il;

/// <summary>Fields of jit class instances: ldfld, stfld and ldflda on a reference to one (a struct's fields: IlImporter.Structs).</summary>
internal sealed partial class IlImporter
{
    /// <summary>
    /// The field operand, which must be an instance field of a jit class, its IR type, and for a
    /// field declared <c>object</c> the type the compilation's <see cref="TypeContext"/> gives it.
    /// </summary>
    (FieldInfo Field, IrType Type, Type? HeldAs) JitClassField(FieldInfo field, string opcode)
    {
        if (field.IsStatic || field.DeclaringType is not { } owner || !types.IsJitClass(owner))
            throw Unsupported($"{opcode} {field.DeclaringType?.Name}.{field.Name} (fields of classes and structs)",
                "only fields of [JitClass] classes can be used in compiled code");
        Type? heldAs = null;
        if (field.FieldType == typeof(object))
        {
            heldAs = types.ObjectFieldType(field) ?? throw Error(CompilationErrorKind.UnsupportedType, $"field {owner.Name}.{field.Name} declared object",
                types.HowToTypeObjectField(field));
        }
        if (TypeContext.IsClosure(owner) && types.Map(field.FieldType) is null or { Kind: IrTypeKind.ByRef or IrTypeKind.Void })
            throw Error(CompilationErrorKind.UnsupportedType, $"variable '{field.Name}' of type {field.FieldType.Name} captured by a lambda",
                types.WhyNot(field.FieldType) ?? "a lambda captures numbers, enums, structs of them, arrays and jit class instances (a delegate that calls itself: write a local function)");
        IrType type = types.Map(heldAs ?? field.FieldType) is { Kind: not (IrTypeKind.ByRef or IrTypeKind.Void) } mapped
            ? mapped
            : throw Error(CompilationErrorKind.UnsupportedType, $"field {owner.Name}.{field.Name} of type {field.FieldType.Name}",
                types.WhyNot(field.FieldType) ?? "jit class fields are numbers, enums, structs of them, jit class references, or arrays of numbers or instances");
        return (field, type, heldAs);
    }

    ValueId PopInstance(FieldInfo field)
    {
        ValueId instance = Pop();
        IrType type = TypeOf(instance);
        if (type.Kind is not (IrTypeKind.Instance or IrTypeKind.Null))
            throw Unsupported($"field {field.Name} of a {type}", "expected a jit class instance");
        return instance;
    }

    FieldInfo ResolveField() => method.Module.ResolveField(instruction.Token, TypeArguments, MethodArguments)!;

    void LoadField()
    {
        FieldInfo resolved = ResolveField();
        if (TypeContext.IsDelegateCache(resolved))
        {
            LoadCachedClosureFunction(resolved);
            return;
        }
        if (IsStructField(resolved))
        {
            LoadStructField(resolved);
            return;
        }
        (FieldInfo field, IrType type, Type? heldAs) = JitClassField(resolved, "ldfld");
        ValueId instance = PopInstance(field);
        stack.Add(new StackItem(Emit(Opcode.LoadField, type.StackType, [instance], target: type, field: field), HeldAs: heldAs));
    }

    void StoreField()
    {
        FieldInfo resolved = ResolveField();
        if (TypeContext.IsDelegateCache(resolved))
        {
            PopItem(); // the delegate: made again, from its closure, wherever the cache is read
            PopItem(); // the closure
            return;
        }
        if (IsStructField(resolved))
        {
            StoreStructField(resolved);
            return;
        }
        (FieldInfo field, IrType type, Type? heldAs) = JitClassField(resolved, "stfld");
        ValueId value = heldAs is null ? Pop() : PopIntoObjectField(field, heldAs);
        RefuseArrayCovariance(value, type);
        ValueId instance = PopInstance(field);
        Emit(Opcode.StoreField, IrType.Void, [instance, value], target: type, field: field);
    }

    /// <summary>What a store into an object field takes: a value boxed as the field's spec type, or a reference of that type (or null).</summary>
    ValueId PopIntoObjectField(FieldInfo field, Type heldAs)
    {
        StackItem item = PopItem();
        bool fits = !item.IsPseudo && (heldAs.IsValueType
            ? item.Boxed == heldAs
            : item.Boxed is null && (item.HeldAs is null || item.HeldAs == heldAs)
                && (TypeOf(item.Value) == IrType.Null || TypeOf(item.Value) == types.Map(heldAs)));
        if (!fits)
        {
            string stored = item.IsPseudo ? "an object" : item.Boxed?.Name ?? item.HeldAs?.Name ?? TypeOf(item.Value).ToString();
            throw Unsupported($"storing a {stored} into {field.DeclaringType!.Name}.{field.Name}",
                $"the field is declared object and its spec makes it {heldAs.Name}: store a {heldAs.Name}");
        }
        return item.Value;
    }

    /// <summary>
    /// <c>box T</c>: the value, marked boxed. Only a store into an object field, an exception's
    /// constructor and an unbox to the same type (generic code's <c>(U)(object)t</c>) take a boxed
    /// value, so a box followed by anything else is refused here, where the construct is (Pop refuses
    /// a boxed value that still reaches another use).
    /// </summary>
    void Box()
    {
        Type type = ResolveType(instruction.Token);
        if (type.IsValueType && !BoxIsTaken(indexOfOffset[instruction.Offset] + 1))
            throw Unsupported($"box {type.Name} (boxing a value into an object)", "a boxed value can only be stored into a jit class field declared object, passed to an exception's constructor or to Enum.HasFlag");
        StackItem item = PopItem();
        stack.Add(type.IsValueType ? new StackItem(item.Value, Boxed: type) : item);
    }

    /// <summary>Instructions that only compute values (what may stand between a box and the constructor's later arguments).</summary>
    static readonly string[] ValueOnly =
        ["nop", "ldstr", "ldc.", "ldarg", "ldloc", "ldnull", "ldfld", "ldelem", "ldlen", "conv.", "box", "dup", "add", "sub", "mul", "div", "rem",
         "and", "or", "xor", "shl", "shr", "neg", "not", "ceq", "cgt", "clt"];

    /// <summary>Whether the instructions from <paramref name="next"/> reach a field store, an exception's constructor or Enum.HasFlag through simple loads (and the calls that build a message) only.</summary>
    bool BoxIsTaken(int next)
    {
        for (int n = next; n < code.Count && !leaders.Contains(code[n].Offset); n++)
        {
            string name = code[n].OpCode.Name!;
            if (name is "stfld" or "unbox.any")
                return true;
            if (name == "newobj")
            {
                Type? made = method.Module.ResolveMethod(code[n].Token, TypeArguments, MethodArguments)?.DeclaringType;
                if (made is not null && IsMessageHandler(made))
                    continue; // Debug IL makes the message's handler (then stores it in its local) before the constructor
                return typeof(Exception).IsAssignableFrom(made);
            }
            if (name.StartsWith("stloc", StringComparison.Ordinal) && n > 0 && code[n - 1].OpCode.Name == "newobj")
                continue;
            if (name == "call")
            {
                MethodBase? called = method.Module.ResolveMethod(code[n].Token, TypeArguments, MethodArguments);
                // An exception's message built from values between the box and the constructor ($"…", x.ToString(), "…" + x).
                if (called is not null && (IsMessageHandler(called.DeclaringType!) || IsValueToString(called) || called.DeclaringType == typeof(string) && called.Name == nameof(string.Concat)))
                    continue;
                return called is { Name: nameof(Enum.HasFlag) } && called.DeclaringType == typeof(Enum);
            }
            if (!ValueOnly.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal)))
                return false;
        }
        return false;
    }

    /// <summary><c>unbox.any T</c> and <c>castclass T</c> of a value read from an object field whose spec type is T: the value itself.</summary>
    void Unbox(string opcode)
    {
        Type type = ResolveType(instruction.Token);
        StackItem item = PopItem();
        if (item.Boxed is { } boxed)
        {
            // (U)(object)t in generic code: the value itself when T is U (a box of another type would throw).
            if (boxed != type)
                throw Unsupported($"{opcode} {type.Name} of a boxed {boxed.Name}", $"the value is a {boxed.Name}; .NET throws InvalidCastException here");
            Push(item.Value);
            return;
        }
        if (item.HeldAs is null)
            throw Unsupported($"{opcode} {type.Name} (type tests and casts of objects)", "only a value read from a jit class field declared object can be unboxed or cast, to its spec's type");
        if (item.HeldAs != type)
            throw Unsupported($"{opcode} {type.Name} of a field that holds {item.HeldAs.Name}", $"the field's spec makes it {item.HeldAs.Name}");
        Push(item.Value);
    }

    void FieldAddress()
    {
        FieldInfo resolved = ResolveField();
        if (IsStructField(resolved))
        {
            StructFieldAddress(resolved);
            return;
        }
        (FieldInfo field, IrType type, _) = JitClassField(resolved, "ldflda");
        if (!type.IsScalar && type.Kind != IrTypeKind.Aggregate)
            throw Unsupported($"taking the address of reference field {field.Name}", "only numeric and struct fields can be passed by ref");
        ValueId instance = PopInstance(field);
        Push(Emit(Opcode.FieldAddress, types.ByRefTo(type), [instance], target: type, field: field));
    }
}
