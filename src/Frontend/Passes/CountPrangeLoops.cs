using Targets.Frontend.Analysis;
using Targets.Frontend.Ir;

namespace Targets.Frontend.Passes;

/// <summary>
/// Rewrites each <see cref="Prange"/> loop with a constant unit step into the counted loop a
/// <c>for</c> statement makes: the loop variable <c>i</c> itself runs from the first value while
/// <c>i &lt; end</c>, incremented in one latch, instead of an enumerator's 64-bit cursor stepped
/// and tested in the header. Same iterations, same values of <c>i</c> (all within
/// <c>int</c>: start ≥ int.MinValue and end ≤ int.MaxValue, so neither the first value nor the
/// last increment overflows). It is the shape <see cref="VersionLoopsForBoundsChecks"/> and
/// LLVM's vectoriser recognise. Leaves alone: other steps, loops whose header does more than step
/// and test, and loops whose variable is not one int written only from the cursor.
/// </summary>
public static class CountPrangeLoops
{
    public static int Run(IrFunction f)
    {
        ArgumentNullException.ThrowIfNull(f);
        int counted = 0;
        foreach ((int cursor, (int end, _, _)) in f.PrangeCursors.ToList())
        {
            var cfg = new ControlFlowGraph(f);
            NaturalLoop? loop = NaturalLoop.Find(cfg, new DominatorTree(cfg))
                .FirstOrDefault(l => f.Blocks[l.Header].Instructions.Any(i => i.Op == Opcode.StoreSlot && i.Slot == cursor));
            if (loop is not null && HasUnitStep(f, end + 1) && Rewrite(f, cfg, loop, cursor, end))
                counted++;
        }
        return counted;
    }

    /// <summary>
    /// Whether every value stored into <paramref name="slot"/> is the constant 1 (directly, or
    /// copied from such a slot: a range's step into its enumerator's), apart from the entry's
    /// zeroing of locals, which a Prange local's real stores always follow.
    /// </summary>
    public static bool HasUnitStep(IrFunction f, int slot) => IsUnit(f, Definitions(f), slot, []);

    static Dictionary<ValueId, Instruction> Definitions(IrFunction f) =>
        f.Blocks.SelectMany(b => b.Instructions).Where(i => i.Result is not null).ToDictionary(i => i.Result!.Value);

    static bool IsUnit(IrFunction f, Dictionary<ValueId, Instruction> definitions, int slot, HashSet<int> seen)
    {
        if (!seen.Add(slot) || slot < f.ParameterTypes.Count)
            return false;
        bool any = false;
        foreach (IrBlock block in f.Blocks)
        {
            foreach (Instruction store in block.Instructions.Where(i => i.Op == Opcode.StoreSlot && i.Slot == slot))
            {
                if (!definitions.TryGetValue(store.Operands[0], out Instruction? value))
                    return false;
                if (block == f.Entry && value is { Op: Opcode.Const, Constant: 0 })
                    continue; // localsinit
                if (!((value.Op == Opcode.Const && value.Constant == 1) || (value.Op == Opcode.LoadSlot && IsUnit(f, definitions, value.Slot, seen))))
                    return false;
                any = true;
            }
        }
        return any;
    }

    static bool Rewrite(IrFunction f, ControlFlowGraph cfg, NaturalLoop loop, int cursor, int end)
    {
        bool IsControl(int slot) => slot == cursor || slot == end || slot == end + 1;
        IrBlock header = f.Blocks[loop.Header];
        bool plainHeader = header.Parameters.Count == 0 && header.Instructions.All(i =>
            i.Op is Opcode.Const or Opcode.Add or Opcode.Sub or Opcode.And or Opcode.Or or Opcode.Xor or Opcode.Compare or Opcode.Convert or Opcode.Branch
            || (i.Op is Opcode.LoadSlot or Opcode.StoreSlot && IsControl(i.Slot)));
        if (!plainHeader || header.Terminator is not { Op: Opcode.Branch } test)
            return false;
        int stay = test.Targets.Select(t => t.Block.Index).FirstOrDefault(loop.Blocks.Contains, -1);
        int exit = test.Targets.Select(t => t.Block.Index).FirstOrDefault(b => !loop.Blocks.Contains(b), -1);
        if (stay < 0 || exit < 0)
            return false;

        // The loop variable: the one int slot stored from (int)cursor, and the loop's only read of a control slot.
        Dictionary<ValueId, Instruction> definitions = Definitions(f);
        List<Instruction> body = loop.Blocks.Where(b => b != loop.Header).SelectMany(b => f.Blocks[b].Instructions).ToList();
        List<Instruction> controlReads = body.Where(i => i.Op is Opcode.LoadSlot or Opcode.SlotAddress && IsControl(i.Slot)).ToList();
        if (controlReads.Count != 1 || controlReads[0].Slot != cursor)
            return false;
        Instruction? store = body.SingleOrDefault(i => i.Op == Opcode.StoreSlot && definitions.TryGetValue(i.Operands[0], out Instruction? c)
            && c.Op == Opcode.Convert && !c.Checked && c.TargetType == IrType.I32 && c.Operands[0] == controlReads[0].Result);
        if (store is null || f.Slots[store.Slot] != IrType.I32 || body.Count(i => i.Op is Opcode.StoreSlot or Opcode.SlotAddress && i.Slot == store.Slot) != 1)
            return false;
        int variable = store.Slot;
        if (body.Any(i => i.Op is Opcode.StoreSlot or Opcode.SlotAddress && IsControl(i.Slot)))
            return false;

        SourceLocation at = store.Location;
        int limit = f.Slots.Count;
        f.Slots.Add(IrType.I32);
        IrBlock start = f.NewBlock(header.IlOffset), check = f.NewBlock(header.IlOffset), latch = f.NewBlock(header.IlOffset);
        start.Handler = check.Handler = latch.Handler = header.Handler;
        // Entering: i = cursor + 1 (the first value), limit = end; both ints.
        var w = new BlockWriter(f, start, at);
        w.StoreSlot(variable, w.Convert(w.Append(Opcode.Add, IrType.I64, [w.LoadSlot(cursor), w.Const(IrType.I64, 1)]), IrType.I32));
        w.StoreSlot(limit, w.Convert(w.LoadSlot(end), IrType.I32));
        w.Jump(check.Id);
        w = new BlockWriter(f, check, at);
        w.Branch(w.Compare(Condition.LtS, w.LoadSlot(variable), w.LoadSlot(limit)), f.Blocks[stay].Id, f.Blocks[exit].Id);
        w = new BlockWriter(f, latch, at);
        w.StoreSlot(variable, w.Append(Opcode.Add, IrType.I32, [w.LoadSlot(variable), w.Const(IrType.I32, 1)]));
        w.Jump(check.Id);

        foreach (int b in cfg.Predecessors[loop.Header])
        {
            Instruction terminator = f.Blocks[b].Terminator!;
            for (int t = 0; t < terminator.Targets.Length; t++)
            {
                if (terminator.Targets[t].Block == header.Id)
                    terminator.Targets[t] = new BlockTarget(loop.Blocks.Contains(b) ? latch.Id : start.Id, []);
            }
        }
        foreach (IrBlock block in loop.Blocks.Select(b => f.Blocks[b]))
            block.Instructions.Remove(store); // i is the counter now
        f.PrangeCursors.Remove(cursor);
        return true;
    }
}
