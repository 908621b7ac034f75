using System.Reflection;
using Targets.Frontend.Ir;

namespace Targets.Frontend.Il;

/// <summary>
/// Generic code, monomorphised: a compiled method is one closed instantiation, so every type
/// parameter is a known type here. Guarantees: a <c>constrained.</c> call resolves to the type
/// argument's own implementation (generic math's static abstract members, <c>IComparable&lt;T&gt;</c>
/// on a struct or a number), called directly; <c>typeof(A) == typeof(B)</c> and <c>(U)(object)t</c>
/// of one type fold at import, and a branch on a folded test imports only the side taken, as .NET's
/// JIT specialises the same code (what the BCL's generic math relies on).
/// </summary>
internal sealed partial class IlImporter
{
    /// <summary>The type of a pending <c>constrained.</c> prefix, which the next call consumes.</summary>
    Type? constrainedTo;

    /// <summary>A call or callvirt after <c>constrained. T</c>: the implementation T gives, called as itself.</summary>
    void ConstrainedCall(MethodBase callee, Type type)
    {
        constrainedTo = null;
        MethodBase target = Implementation(callee, type)
            ?? throw Error(CompilationErrorKind.UnsupportedCall, $"{Describe(callee)} on {type.Name}",
                $"{type.Name} has no implementation of its own of {callee.Name} (an inherited object or ValueType member needs a box, which compiled code has not)");
        if (!target.IsStatic && !type.IsValueType)
        {
            // On a class, constrained. takes the address of a reference and calls the member virtually on what it holds.
            int receiver = stack.Count - callee.GetParameters().Length - 1;
            if (types.IsJitClass(type) && receiver >= 0 && stack[receiver].InstanceSlot is int slot)
            {
                stack[receiver] = new StackItem(Emit(Opcode.LoadSlot, function.Slots[slot], [], slot: slot));
                if (CallVirtualMember(callee))
                    return;
            }
            throw Error(CompilationErrorKind.UnsupportedCall, $"{Describe(callee)} on class {type.Name}",
                "interface members are called on jit classes (and structs) only: use a [JitClass] class or a struct type argument");
        }
        // A value type's receiver is already what its instance member takes: the address of the value.
        CallMethod(target);
    }

    /// <summary>
    /// The method <paramref name="type"/> runs for <paramref name="callee"/>: its implementation of an
    /// interface member (a generic method closed over the call's method arguments), or its own override of
    /// a virtual member of object or ValueType; null when it has none of its own.
    /// </summary>
    static MethodInfo? Implementation(MethodBase callee, Type type)
    {
        Type declaring = callee.DeclaringType!;
        if (!declaring.IsInterface)
        {
            Type[] signature = [.. callee.GetParameters().Select(p => p.ParameterType)];
            MethodInfo? own = type.GetMethod(callee.Name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly, signature);
            return own is not null && own.DeclaringType == type ? own : null;
        }
        if (!declaring.IsAssignableFrom(type))
            return null;
        InterfaceMapping map = type.GetInterfaceMap(declaring);
        MethodBase wanted = callee is MethodInfo { IsGenericMethod: true } generic ? generic.GetGenericMethodDefinition() : callee;
        for (int n = 0; n < map.InterfaceMethods.Length; n++)
        {
            if (map.InterfaceMethods[n].MetadataToken != wanted.MetadataToken || map.InterfaceMethods[n].Module != wanted.Module)
                continue;
            MethodInfo? found = map.TargetMethods[n];
            if (found is null)
                return null;
            return callee is MethodInfo { IsGenericMethod: true } closed ? found.MakeGenericMethod(closed.GetGenericArguments()) : found;
        }
        return null;
    }

    /// <summary><c>ldtoken</c> of a type: <c>typeof(T)</c>, kept until a comparison folds it.</summary>
    void TypeTokenOf(Type type) => stack.Add(new StackItem(default, TypeToken: type));

    /// <summary>
    /// Calls on type tokens: <c>Type.GetTypeFromHandle</c> keeps the token, <c>op_Equality</c> and
    /// <c>op_Inequality</c> of two fold to a known constant, and of one with a caught exception's
    /// <c>GetType()</c> test the exception's exact type. False when the call is not one of these.
    /// </summary>
    bool TypeTokenCall(MethodBase callee)
    {
        static bool IsType(StackItem item) => item.TypeToken is not null || item.CaughtType;
        if (callee.DeclaringType != typeof(Type) || stack.Count == 0 || !IsType(stack[^1]))
            return false;
        if (callee.Name == nameof(Type.GetTypeFromHandle))
            return stack[^1].TypeToken is not null;
        if (callee.Name is not ("op_Equality" or "op_Inequality") || stack.Count < 2 || !IsType(stack[^2]))
            return false;
        StackItem right = PopItem(), left = PopItem();
        bool equality = callee.Name == "op_Equality";
        if (left.TypeToken is { } l && right.TypeToken is { } r)
        {
            bool result = (l == r) == equality;
            stack.Add(new StackItem(ConstI32(result ? 1 : 0), Known: result));
        }
        else if ((left.TypeToken ?? right.TypeToken) is { } tested)
            Push(CaughtIsExactly(tested, equality));
        else
            throw Unsupported("comparing a caught exception's type with itself", "compare it with typeof(T)");
        return true;
    }

    /// <summary>The IL offset where a branch known at compile time continues the block being imported.</summary>
    int? redirect;

    /// <summary>A branch on a value known at compile time: the block goes on at the side taken (the other is not imported from here).</summary>
    bool BranchOnKnown(bool whenTrue)
    {
        if (stack.Count == 0 || stack[^1].Known is not bool known)
            return false;
        PopItem();
        redirect = known == whenTrue ? instruction.Targets[0] : instruction.Next;
        return true;
    }
}
