using Targets.Frontend.Ir;

namespace Targets.Frontend.Passes;

/// <summary>
/// Splices calls of short straight-line functions (constructors that assign fields, property
/// accessors, small helpers: one path from entry to return, no branch, no raise) into the
/// calling block, so that the reference-count passes see a value's whole life — made, passed,
/// stored into a field, released — in one block instead of on both sides of a call, and can
/// pair what a callee took with what its caller let go. LLVM inlines such calls anyway, but it
/// cannot cancel atomic operations.
/// <para>Guarantees: the caller computes what it computed; values still never cross blocks (the
/// callee's code lands in the calling block, its slots become new slots of the caller). A
/// parameter the callee never assigns gets no slot: its loads read the argument itself, which
/// the caller keeps alive across the spliced code as it kept it across the call. Leaves alone:
/// recursive calls, callees with branches, loops, raises or a stackalloc, callees over
/// <see cref="MaxInstructions"/> instructions, and code spliced in this run (no nesting within
/// one caller beyond what the callee already had).</para>
/// <para>Needs: the imported form (before refcounts are inserted).</para>
/// </summary>
public static class InlineStraightCalls
{
    /// <summary>Callees larger than this stay calls: inlining is for wrappers, not for code size.</summary>
    public const int MaxInstructions = 40;

    public static int Run(IrModule module, IrFunction caller)
    {
        int inlined = 0;
        foreach (IrBlock block in caller.Blocks.ToList())
        {
            for (int n = 0; n < block.Instructions.Count; n++)
            {
                Instruction call = block.Instructions[n];
                if (call.Op != Opcode.Call || call.Callee < 0)
                    continue;
                IrFunction callee = module.Functions[call.Callee];
                if (callee == caller || callee.IsDeclaration || callee.ParallelLoop is not null || StraightPath(callee, call.Callee) is not { } path)
                    continue;
                List<Instruction> spliced = Splice(caller, callee, path, call, block, n);
                block.Instructions.RemoveAt(n);
                block.Instructions.InsertRange(n, spliced);
                n += spliced.Count - 1;
                inlined++;
            }
        }
        return inlined;
    }

    /// <summary>The blocks from entry to return when they form one chain of jumps; null otherwise.</summary>
    static List<IrBlock>? StraightPath(IrFunction f, int index)
    {
        if (f.Blocks.Any(b => b.Handler is not null))
            return null; // a try's code would lose its handler (it is reached by no terminator)
        var path = new List<IrBlock>();
        IrBlock block = f.Entry;
        int size = 0;
        while (true)
        {
            if (path.Contains(block))
                return null;
            path.Add(block);
            size += block.Instructions.Count;
            if (size > MaxInstructions)
                return null;
            Instruction? end = block.Terminator;
            if (end is { Op: Opcode.Return })
                break;
            if (end is not { Op: Opcode.Jump })
                return null;
            block = f[end.Targets[0].Block];
        }
        // Every other block must be unreachable leftovers: a reachable one would need a branch.
        bool callsItself = path.SelectMany(b => b.Instructions).Any(i => i.Op == Opcode.Call && i.Callee == index);
        bool takesAddresses = path.SelectMany(b => b.Instructions).Any(i => i.Op == Opcode.SlotAddress);
        // A stackalloc lives until its function returns: spliced into a loop, it would grow the caller's frame each time.
        bool allocatesOnStack = path.SelectMany(b => b.Instructions).Any(i => i.Op == Opcode.Intrinsic && i.Intrinsic == IntrinsicKind.StackArray);
        return callsItself || takesAddresses || allocatesOnStack ? null : path;
    }

    /// <summary>The callee's instructions rewritten into the caller; uses of the call's result later in the block are renamed.</summary>
    static List<Instruction> Splice(IrFunction caller, IrFunction callee, List<IrBlock> path, Instruction call, IrBlock block, int at)
    {
        var values = new Dictionary<ValueId, ValueId>();
        ValueId Map(ValueId v)
        {
            if (!values.TryGetValue(v, out ValueId mapped))
                values[v] = mapped = caller.NewValue(callee.TypeOf(v));
            return mapped;
        }
        for (int p = 0; p < call.Operands.Length; p++)
            values[callee.Entry.Parameters[p]] = call.Operands[p];

        List<Instruction> body = path.SelectMany(b => b.Instructions).ToList();
        // Parameters assigned only by the entry's store of the argument read the argument directly.
        var direct = new Dictionary<int, ValueId>();
        for (int slot = 0; slot < callee.ParameterTypes.Count; slot++)
        {
            List<Instruction> stores = body.Where(i => i.Op == Opcode.StoreSlot && i.Slot == slot).ToList();
            if (stores.Count == 1 && stores[0].Operands[0] == callee.Entry.Parameters[slot] && callee.Entry.Instructions.Contains(stores[0]))
                direct[slot] = call.Operands[slot];
        }
        int slotBase = caller.Slots.Count;
        caller.Slots.AddRange(callee.Slots);

        var spliced = new List<Instruction>();
        for (int b = 0; b < path.Count; b++)
        {
            foreach (Instruction i in path[b].Instructions)
            {
                if (i.Op == Opcode.Jump)
                {
                    // The next block's parameters take the jump's arguments.
                    IrBlock next = path[b + 1];
                    for (int p = 0; p < next.Parameters.Count; p++)
                        values[next.Parameters[p]] = Map(i.Targets[0].Arguments[p]);
                    continue;
                }
                if (i.Op == Opcode.Return)
                {
                    if (call.Result is { } result)
                        Rename(block, at + 1, result, Map(i.Operands[0]));
                    continue;
                }
                if (i.Op == Opcode.StoreSlot && direct.ContainsKey(i.Slot))
                    continue;
                if (i.Op == Opcode.LoadSlot && direct.TryGetValue(i.Slot, out ValueId argument))
                {
                    values[i.Result!.Value] = argument;
                    continue;
                }
                Instruction copy = i.Copy(i.Result is { } r ? Map(r) : null, i.MapOperands(Map), [], i.BoundsChecked);
                spliced.Add(i.Op is Opcode.LoadSlot or Opcode.StoreSlot ? Reslot(copy, i.Slot + slotBase) : copy);
            }
        }
        return spliced;
    }

    static Instruction Reslot(Instruction i, int slot) =>
        new(i.Op, i.Type, i.Result, i.Operands, i.Location) { Slot = slot };

    /// <summary>Replaces <paramref name="from"/> by <paramref name="to"/> in the block from <paramref name="start"/> on (values never leave their block).</summary>
    static void Rename(IrBlock block, int start, ValueId from, ValueId to)
    {
        for (int n = start; n < block.Instructions.Count; n++)
        {
            Instruction i = block.Instructions[n];
            if (i.Operands.AsSpan().Contains(from))
                i.Operands = i.MapOperands(v => v == from ? to : v);
            foreach (BlockTarget target in i.Targets)
            {
                for (int a = 0; a < target.Arguments.Length; a++)
                {
                    if (target.Arguments[a] == from)
                        target.Arguments[a] = to;
                }
            }
        }
    }
}
