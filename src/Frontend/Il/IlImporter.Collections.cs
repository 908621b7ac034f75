using System.Reflection;
using Targets.Frontend.Ir;

namespace Targets.Frontend.Il;

/// <summary>
/// Calls of a collection substitute's member with an <c>out</c> parameter of an instance or array (<c>TryGetValue(key,
/// out Weight w)</c>, <c>TryDequeue(out int[] row)</c>): compiled code passes no references to such variables, so the call
/// is to the member's companion <c>Name_Out</c>, which returns the result and the out value as a tuple; the value is
/// stored into the variable whose address the caller took (a local: anything else is refused with the reason).
/// <c>var (key, value) = pair</c> of a <see cref="KeyValuePair{TKey, TValue}"/> reads the two fields into the variables
/// the same way (its IL's out parameters would take references to instances).
/// <c>RuntimeHelpers.IsReferenceOrContainsReferences&lt;T&gt;()</c> is a constant, as .NET's JIT makes it: whether
/// <c>T</c> holds what NRT counts (the collections clear a slot they leave only then, as .NET's do).
/// </summary>
internal sealed partial class IlImporter
{
    /// <summary>The companion of <paramref name="callee"/> when its last parameter is an <c>out</c> of a counted type; else null.</summary>
    MethodInfo? CountedOutCompanion(MethodBase callee)
    {
        if (callee is not MethodInfo { DeclaringType: { } owner } method || !Collections.CollectionTypes.IsSubstitute(owner)
            || method.GetParameters() is not [.., { IsOut: true, ParameterType: { IsByRef: true } byRef }] parameters
            || types.Map(byRef.GetElementType()!) is not { IsCounted: true })
            return null;
        Type[] rest = [.. parameters[..^1].Select(p => p.ParameterType)];
        return owner.GetMethod($"{method.Name}_Out", BindingFlags.Public | BindingFlags.Instance, rest)
            ?? throw new InvalidOperationException($"{owner.Name}.{method.Name} has an out parameter of a counted type and no {method.Name}_Out companion");
    }

    /// <summary>Calls <paramref name="companion"/> for <paramref name="callee"/>: its tuple's value stored into the out variable, its result pushed.</summary>
    void CallWithCountedOut(MethodBase callee, MethodInfo companion, bool nullCheck)
    {
        StackItem target = PopItem();
        if ((target.InstanceSlot ?? target.ArraySlot) is not int slot)
            throw Unsupported($"{Collections.CollectionTypes.DotnetName(callee.DeclaringType!)}.{callee.Name} with an out argument that is not a local variable",
                "pass a local variable (out var x) and assign it where it must go");
        CallMember(companion, nullCheck);
        ValueId pair = Pop();
        FieldInfo[] items = [companion.ReturnType.GetField("Item1")!, companion.ReturnType.GetField("Item2")!];
        (_, int valueIndex, IrType valueType) = StructField(items[1], "call");
        Emit(Opcode.StoreSlot, IrType.Void, [Emit(Opcode.ExtractMember, valueType.StackType, [pair], target: valueType, constant: valueIndex)], slot: slot);
        (_, int resultIndex, IrType resultType) = StructField(items[0], "call");
        Push(Emit(Opcode.ExtractMember, resultType.StackType, [pair], target: resultType, constant: resultIndex));
    }

    static bool IsPairDeconstruct(MethodBase callee) =>
        callee.Name == nameof(KeyValuePair<int, int>.Deconstruct) && callee.DeclaringType is { IsGenericType: true } owner
        && owner.GetGenericTypeDefinition() == typeof(KeyValuePair<,>);

    /// <summary><c>pair.Deconstruct(out key, out value)</c>: each field of the pair (its address below the two outs) stored into its variable.</summary>
    void PairDeconstruct(MethodBase callee)
    {
        StackItem valueTarget = PopItem(), keyTarget = PopItem();
        ValueId pair = Pop();
        const BindingFlags Fields = BindingFlags.NonPublic | BindingFlags.Instance;
        foreach ((StackItem target, string name) in new[] { (keyTarget, "key"), (valueTarget, "value") })
        {
            (_, int index, IrType type) = StructField(callee.DeclaringType!.GetField(name, Fields)!, "call");
            ValueId field = Emit(Opcode.LoadIndirect, type.StackType, [Emit(Opcode.MemberAddress, types.ByRefTo(type), [pair], target: type, constant: index)], target: type);
            if ((target.InstanceSlot ?? target.ArraySlot) is int slot)
                Emit(Opcode.StoreSlot, IrType.Void, [field], slot: slot);
            else if (!target.IsPseudo && TypeOf(target.Value).Kind == IrTypeKind.ByRef)
                Emit(Opcode.StoreIndirect, IrType.Void, [target.Value, field], target: type);
            else
                throw Unsupported("KeyValuePair.Deconstruct into something other than variables", "deconstruct into local variables: var (key, value) = pair");
        }
    }

    static bool IsHoldsReferences(MethodBase callee) =>
        callee.DeclaringType == typeof(System.Runtime.CompilerServices.RuntimeHelpers) && callee is MethodInfo { IsGenericMethod: true, Name: nameof(System.Runtime.CompilerServices.RuntimeHelpers.IsReferenceOrContainsReferences) };

    void HoldsReferences(MethodBase callee)
    {
        Type type = ((MethodInfo)callee).GetGenericArguments()[0];
        bool holds = types.Map(type) is not { } mapped || mapped.HoldsCounted || mapped.Kind == IrTypeKind.ByRef;
        Push(ConstI32(holds ? 1 : 0));
    }
}
