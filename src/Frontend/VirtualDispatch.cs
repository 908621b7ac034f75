using System.Reflection;
using Targets.Frontend.Diagnostics;
using Targets.Frontend.Il;
using Targets.Frontend.Ir;

namespace Targets.Frontend;

/// <summary>
/// The dispatch of a virtual or interface method over the classes a receiver of one static type may be
/// (<see cref="ClassHierarchy"/>): a function taking the receiver (never null: the caller checked) and the
/// method's parameters, which reads the instance's class (<see cref="Opcode.ClassOf"/>) and calls the
/// implementation of the first group of classes it belongs to, directly; the classes that share an
/// implementation are one group. An instance of a class not known when the dispatch was compiled (loaded
/// later) raises InvalidOperationException naming the method. Small and straight, it is inlined where it is called.
/// </summary>
public static class VirtualDispatch
{
    /// <summary>The dispatch of <paramref name="declared"/> over the classes a <paramref name="receiver"/> may be, named <paramref name="symbol"/>; <paramref name="resolve"/> gives an implementation's function index (imported like any callee).</summary>
    internal static IrFunction Build(MethodInfo declared, Type receiver, string symbol, TypeContext types, Func<MethodInfo, int> resolve)
    {
        IReadOnlyList<Type> classes = ClassHierarchy.ConcreteClasses(receiver, types);
        List<IGrouping<MethodInfo, Type>> groups = [.. classes.GroupBy(c => ClassHierarchy.Implementation(c, declared))];
        IrType self = types.InstanceOf(receiver);
        List<IrType> parameters = [self, .. declared.GetParameters().Select(p => types.Map(p.ParameterType)
            ?? throw new InvalidOperationException($"{declared.Name}: parameter {p.Name} of type {p.ParameterType.Name} has no IR type"))];
        IrType returns = declared.ReturnType == typeof(void) ? IrType.Void
            : types.Map(declared.ReturnType) ?? throw new InvalidOperationException($"{declared.Name}: return type {declared.ReturnType.Name} has no IR type");
        var f = new IrFunction(symbol, returns, parameters) { Method = declared, IsDispatch = true };
        f.Slots.AddRange(parameters);
        SourceLocation at = SourceLocator.For(declared).Locate(0);
        var w = new BlockWriter(f, f.NewBlock(0), at);
        w.StoreParameters();
        ValueId id = w.Append(Opcode.ClassOf, IrType.I64, [w.LoadSlot(0)]);
        foreach (IGrouping<MethodInfo, Type> group in groups)
        {
            ValueId matches = group.Select(c => w.Compare(Condition.Eq, id, w.Const(IrType.I64, ClassIdentity.Of(c))))
                .Aggregate((a, b) => w.Append(Opcode.Or, IrType.I32, [a, b]));
            IrBlock call = f.NewBlock(0), next = f.NewBlock(0);
            w.Branch(matches, call.Id, next.Id);
            var c = new BlockWriter(f, call, at);
            ValueId receiverValue = c.LoadSlot(0);
            IrType implementer = types.InstanceOf(group.Key.DeclaringType!);
            if (!OperandRules.Assignable(self, implementer))
                receiverValue = c.Append(Opcode.CastInstance, implementer, [receiverValue]);
            ValueId[] arguments = [receiverValue, .. Enumerable.Range(1, parameters.Count - 1).Select(c.LoadSlot)];
            int index = resolve(group.Key);
            ValueId result = c.Append(Opcode.Call, returns.StackType, arguments, i => { i.Callee = index; return i; });
            if (returns == IrType.Void)
                c.Return();
            else
                c.Return(result);
            w = new BlockWriter(f, next, at);
        }
        RaiseInfo unknown = RaiseInfo.Of<InvalidOperationException>(
            $"{receiver.Name}.{declared.Name} was called on an instance of a class this code was not compiled for (loaded after it): compile the caller again");
        w.Append(Opcode.Raise, IrType.Void, [], i => new Instruction(i.Op, i.Type, i.Result, i.Operands, i.Location) { Exception = unknown });
        return f;
    }
}
