using Targets.Frontend.Ir;

namespace Targets.Frontend.Passes;

/// <summary>
/// Calls of a virtual method's dispatch whose receiver's exact class is known become direct calls of that class's
/// implementation: the receiver is a new instance (<c>new Dog()</c>), possibly cast to a base, or is loaded from a
/// local that only ever holds new instances of one class (<c>Animal a = new Dog(); a.Sound();</c>, where C# types the
/// local by its declaration). The direct call can then be inlined like any call.
/// <para>Guarantees: a call is rewritten only when every value the receiver can be is an instance of that one class
/// (or null, which the call's null check raises on before the call): every store to the local is a new instance of
/// it or null, and no address of the local is taken. The implementation called is the one the dispatch itself
/// calls for that class.</para>
/// <para>Linear in the function: one pass lists every value's definition and every slot's stores; each slot is judged once.</para>
/// <para>Needs: the imported form, where a value is used only in the block that defines it.</para>
/// </summary>
public static class DevirtualiseExactReceivers
{
    public static int Run(IrModule module, IrFunction f)
    {
        int rewritten = 0;
        Receivers? receivers = null;
        foreach (IrBlock block in f.Blocks)
        {
            for (int n = 0; n < block.Instructions.Count; n++)
            {
                Instruction call = block.Instructions[n];
                if (call.Op != Opcode.Call || call.Callee < 0 || module.Functions[call.Callee] is not { IsDispatch: true } dispatch)
                    continue;
                receivers ??= new Receivers(f);
                if (receivers.ExactClass(call.Operands[0]) is not { } exact || Implementation(dispatch, ClassIdentity.Of(exact)) is not int index)
                    continue;
                IrType parameter = module.Functions[index].ParameterTypes[0];
                if (!OperandRules.Assignable(f.TypeOf(call.Operands[0]), parameter))
                {
                    ValueId cast = f.NewValue(parameter);
                    block.Instructions.Insert(n++, new Instruction(Opcode.CastInstance, parameter, cast, [call.Operands[0]], call.Location));
                    call.Operands = [cast, .. call.Operands[1..]];
                }
                call.Callee = index;
                rewritten++;
            }
        }
        return rewritten;
    }

    /// <summary>What one pass over the function tells about its values and slots: each value's definition, each slot's stores, the slots whose address is taken.</summary>
    sealed class Receivers
    {
        readonly Dictionary<ValueId, Instruction> definitions = [];
        readonly Dictionary<int, List<ValueId>> stores = [];
        readonly HashSet<int> addressed = [];
        readonly Dictionary<int, Type?> slotClasses = [];

        public Receivers(IrFunction f)
        {
            foreach (Instruction i in f.Blocks.SelectMany(b => b.Instructions))
            {
                if (i.Result is { } result)
                    definitions[result] = i;
                if (i.Op == Opcode.SlotAddress)
                    addressed.Add(i.Slot);
                else if (i.Op == Opcode.StoreSlot)
                {
                    if (!stores.TryGetValue(i.Slot, out List<ValueId>? list))
                        stores[i.Slot] = list = [];
                    list.Add(i.Operands[0]);
                }
            }
        }

        /// <summary>The one class <paramref name="value"/> can be an instance of, or null when it is not known.</summary>
        public Type? ExactClass(ValueId value)
        {
            if (!definitions.TryGetValue(value, out Instruction? definition))
                return null; // a block parameter
            return definition.Op switch
            {
                Opcode.NewInstance => definition.Type.JitClass,
                Opcode.CastInstance => ExactClass(definition.Operands[0]),
                Opcode.LoadSlot => SlotClass(definition.Slot),
                _ => null,
            };
        }

        /// <summary>The one class every non-null value stored into <paramref name="slot"/> is a new instance of, or null.</summary>
        Type? SlotClass(int slot)
        {
            if (slotClasses.TryGetValue(slot, out Type? known))
                return known;
            slotClasses[slot] = null; // a store of the slot's own value (a cycle through slots) proves nothing
            if (addressed.Contains(slot))
                return null;
            Type? exact = null;
            foreach (ValueId stored in stores.GetValueOrDefault(slot) ?? [])
            {
                if (definitions.TryGetValue(stored, out Instruction? definition) && definition.Op == Opcode.ConstNull)
                    continue;
                Type? c = ExactClass(stored);
                if (c is null || exact is not null && exact != c)
                    return null;
                exact = c;
            }
            return slotClasses[slot] = exact;
        }
    }

    /// <summary>
    /// The function the dispatch calls for the class <paramref name="id"/>: the call in the block its group's test
    /// branches to when true (the group's block holds the class's id as a constant), or null for a class it does not know.
    /// </summary>
    static int? Implementation(IrFunction dispatch, long id)
    {
        foreach (IrBlock block in dispatch.Blocks)
        {
            if (block.Terminator is { Op: Opcode.Branch } test && block.Instructions.Any(i => i.Op == Opcode.Const && i.Constant == id && i.Type == IrType.I64)
                && dispatch[test.Targets[0].Block].Instructions.FirstOrDefault(i => i.Op == Opcode.Call) is { Callee: >= 0 } call)
                return call.Callee;
        }
        return null;
    }
}
