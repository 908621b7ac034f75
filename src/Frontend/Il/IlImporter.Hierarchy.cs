using System.Reflection;
using Targets.Frontend.Ir;

namespace Targets.Frontend.Il;

/// <summary>
/// Jit-class hierarchies: virtual and interface calls on instances (direct where every class the receiver may be
/// runs one implementation, else through the method's <see cref="VirtualDispatch"/> over the receiver's static
/// type), and <c>isinst</c> / <c>castclass</c> of instances (upward casts are free; downward ones test the
/// instance's class record, and castclass raises InvalidCastException as .NET does).
/// </summary>
internal sealed partial class IlImporter
{
    /// <summary>A virtual or interface method called on a jit-class instance; false when the receiver is not one.</summary>
    bool CallVirtualMember(MethodBase callee)
    {
        int receiver = stack.Count - callee.GetParameters().Length - 1;
        if (callee is not MethodInfo declared || callee.IsStatic || receiver < 0 || stack[receiver].IsPseudo
            || TypeOf(stack[receiver].Value).JitClass is not { } owner || declared.IsGenericMethod)
            return false;
        List<MethodInfo> implementations = [.. ClassHierarchy.ConcreteClasses(owner, types).Select(c => ClassHierarchy.Implementation(c, declared)).Distinct()];
        if (implementations.Count == 0)
            throw Unsupported($"calling {Describe(callee)} on a {owner.Name}",
                $"no concrete [JitClass] class is or derives from {owner.Name}, so no instance can be there");
        if (implementations.Count == 1)
        {
            // Devirtualised: one implementation for every class the receiver may be, each of which derives from (or
            // implements) the implementation's declaring type, so the receiver is one of those.
            IrType declaring = types.InstanceOf(implementations[0].DeclaringType!);
            if (TypeOf(stack[receiver].Value) != declaring && !implementations[0].DeclaringType!.IsAssignableFrom(owner))
                stack[receiver] = stack[receiver] with { Value = Emit(Opcode.CastInstance, declaring, [stack[receiver].Value]) };
            CallMember(implementations[0], nullCheck: true);
            return true;
        }
        ValueId[] parameters = PopArguments(declared.GetParameters());
        ValueId[] arguments = [Pop(), .. parameters];
        Emit(Opcode.CheckNull, IrType.Void, [arguments[0]]);
        IrType result = ResultOf(declared);
        int dispatch = resolveCallee(declared, null, new CallSite(methodName, instruction.Offset, locator.Locate(instruction.Offset)), owner);
        ValueId value = Emit(Opcode.Call, result, arguments, calleeIndex: dispatch);
        if (result != IrType.Void)
            Push(value);
        return true;
    }

    /// <summary>
    /// An array of a derived class's instances held as an array of its base: .NET's covariant arrays, refused (an
    /// array keeps its element class in compiled code, and a store through the base type could put another class's
    /// instance there, which .NET checks at run time and compiled code does not).
    /// </summary>
    void RefuseArrayCovariance(ValueId value, IrType declared)
    {
        IrType given = TypeOf(value);
        if (given != declared && given is { Kind: IrTypeKind.Array, Element.Kind: IrTypeKind.Instance } && declared is { Kind: IrTypeKind.Array, Element.Kind: IrTypeKind.Instance })
            throw Unsupported($"a {given} held as a {declared} (array covariance)",
                $"compiled code keeps an array's element class: make it a new {declared.Element}[…] from the start");
    }

    /// <summary>The nearest jit class two instance types both are (one of them when it is the other's base), or null.</summary>
    IrType? CommonBase(IrType a, IrType b)
    {
        if (a.Kind != IrTypeKind.Instance || b.Kind != IrTypeKind.Instance)
            return null;
        for (Type? t = a.JitClass; t is not null && types.IsJitClass(t); t = t.BaseType)
        {
            if (t.IsAssignableFrom(b.JitClass))
                return types.InstanceOf(t);
        }
        return null;
    }

    /// <summary>Whether the <c>isinst</c> or <c>castclass</c> being imported takes a jit-class instance to a jit class.</summary>
    bool IsJitClassCast() =>
        stack.Count > 0 && !stack[^1].IsPseudo && TypeOf(stack[^1].Value) is { Kind: IrTypeKind.Instance } or { Kind: IrTypeKind.Null }
        && types.Map(ResolveType(instruction.Token)) is { Kind: IrTypeKind.Instance };

    /// <summary><c>isinst C</c> (the instance, or null) and <c>castclass C</c> (the instance, or InvalidCastException) of a jit-class instance; C a jit class or an interface jit classes implement.</summary>
    void JitClassCast(bool throws)
    {
        Type target = ResolveType(instruction.Token);
        ValueId value = Pop();
        IrType from = TypeOf(value), to = types.InstanceOf(target);
        if (from == IrType.Null || target.IsAssignableFrom(from.JitClass))
        {
            Push(from == IrType.Null || from == to ? value : Emit(Opcode.CastInstance, to, [value])); // upward: always holds
            return;
        }
        // Downward, or to or from an interface (some class derived from the instance's may implement it): tested.
        if (!from.JitClass!.IsAssignableFrom(target) && !target.IsInterface && !from.JitClass.IsInterface)
            throw Unsupported($"{(throws ? "casting" : "testing")} a {from.JitClass.Name} {(throws ? "to" : "for")} {target.Name}",
                $"neither class derives from the other, so no instance is both: the test is always false");
        Push(throws ? Emit(Opcode.CastInstance, to, [value], isChecked: true) : Emit(Opcode.AsInstance, to, [value]));
    }
}
