using Targets.Frontend.Analysis;
using Targets.Frontend.Ir;

namespace Targets.Runtime.Passes;

/// <summary>
/// Inserts NRT reference counting, naively, so that every reference is owned by a slot and every
/// value on the evaluation stack is borrowed from one:
/// <list type="bullet">
/// <item>a store into an array slot increfs the new value; the value it replaces is parked in a
/// "graveyard" slot of that store site and released when the site next runs (so a value loaded
/// before the store and still in use after it stays alive); stores into jit class fields, into
/// elements of arrays of instances and through byrefs (a struct's field, reached by
/// <c>member_address</c>) do the same;</item>
/// <item>an array or instance made by <c>new</c> or returned by a call is owned by a hidden slot of its
/// site, which releases the previous one when the site runs again; so is one read from a field, an
/// element or through a byref when it is used at or after a call that may store into fields or
/// elements (<see cref="StoreEffects"/>): that call could release the reference it was borrowed from;</item>
/// <item><c>return</c> increfs the returned array (the caller gets a new reference) and releases
/// every array slot.</item>
/// </list>
/// A struct that holds references (<see cref="IrType.HoldsCounted"/>) is counted as the references
/// it holds: each operation above on such a value is one operation per reference in it
/// (<see cref="AggregateLayout.CountedLeaves"/>, read with <c>extract_member</c>), so a copy owns what
/// it holds and a drop releases it.
/// Raising paths release every array slot too; the lowering does that in one unwind block per
/// function, since every reference lives in a slot. Slots start null (the lowering zeroes them).
/// Guarantees: no leak, no use after free, on any path. Leaves the redundancy to the pruning
/// passes that follow (<see cref="PruneRefcounts"/>).
/// </summary>
public static class InsertRefcounts
{
    public static int Run(IrModule module, IrFunction f)
    {
        IReadOnlyList<bool> releases = StoreEffects.Of(module).MayReleaseOf;
        bool IsArraySlot(int slot) => f.Slots[slot].HoldsCounted;
        bool makesArrays = f.Blocks.SelectMany(b => b.Instructions).Any(i => (i.Result is not null && i.Type.HoldsCounted) || i.Op == Opcode.StoreField
            || i.Op == Opcode.StoreIndirect && i.TargetType!.HoldsCounted);
        var userArraySlots = new List<int>(); // a loop: LINQ over ints is JIT-compiled in every process
        for (int slot = 0; slot < f.Slots.Count; slot++)
        {
            if (IsArraySlot(slot))
                userArraySlots.Add(slot);
        }
        if (!makesArrays && userArraySlots.Count == 0)
            return 0;
        int inserted = 0;
        var hiddenSlots = new List<int>();
        int NewSlot(IrType type)
        {
            f.Slots.Add(type);
            hiddenSlots.Add(f.Slots.Count - 1);
            return f.Slots.Count - 1;
        }

        bool anyReleasingCall = f.Blocks.SelectMany(b => b.Instructions).Any(i => i.Op == Opcode.Call && releases[i.Callee]);
        foreach (IrBlock block in f.Blocks)
        {
            var scratch = new IrBlock(block.Id, block.IlOffset);
            HashSet<ValueId> kept = anyReleasingCall ? KeptAcrossCalls(block, releases) : [];
            foreach (Instruction i in block.Instructions)
            {
                var w = new BlockWriter(f, scratch, i.Location);
                if (i.Op == Opcode.StoreSlot && IsArraySlot(i.Slot))
                {
                    ValueId value = i.Operands[0];
                    inserted += Refcount(w, Opcode.Incref, value, new(RefcountWhy.SlotTakes, i.Slot));
                    ValueId old = w.LoadSlot(i.Slot);
                    scratch.Instructions.Add(i);
                    int graveyard = NewSlot(f.Slots[i.Slot]);
                    ValueId buried = w.LoadSlot(graveyard);
                    w.Append(Opcode.StoreSlot, IrType.Void, [old], x => Slot(x, graveyard));
                    inserted += Refcount(w, Opcode.Decref, buried, new(RefcountWhy.SlotReleasesPrevious, i.Slot));
                    continue;
                }
                if (i.Op is Opcode.StoreField or Opcode.StoreElement or Opcode.StoreIndirect && i.TargetType!.HoldsCounted)
                {
                    // As a slot store: the field, element or referent takes a reference; the value it
                    // replaces is parked in this site's graveyard until the site runs again (it may
                    // still be in use). The replaced value is read before the incref: the read makes
                    // the store's null (and bounds) checks, so a store that raises has taken no
                    // reference to leak.
                    (Opcode load, RefcountWhy takes, RefcountWhy replaced) = i.Op switch
                    {
                        Opcode.StoreField => (Opcode.LoadField, RefcountWhy.FieldTakes, RefcountWhy.FieldReleasesPrevious),
                        Opcode.StoreElement => (Opcode.LoadElement, RefcountWhy.ElementTakes, RefcountWhy.ElementReleasesPrevious),
                        _ => (Opcode.LoadIndirect, RefcountWhy.ReferentTakes, RefcountWhy.ReferentReleasesPrevious),
                    };
                    ValueId old = w.Append(load, i.TargetType.StackType, i.Operands[..^1],
                        x => new Instruction(x.Op, x.Type, x.Result, x.Operands, x.Location) { TargetType = i.TargetType, Field = i.Field, BoundsChecked = i.BoundsChecked });
                    inserted += Refcount(w, Opcode.Incref, i.Operands[^1], new(takes, Field: i.Field?.Name));
                    scratch.Instructions.Add(i);
                    int graveyard = NewSlot(i.TargetType);
                    ValueId buried = w.LoadSlot(graveyard);
                    w.Append(Opcode.StoreSlot, IrType.Void, [old], x => Slot(x, graveyard));
                    inserted += Refcount(w, Opcode.Decref, buried, new(replaced, Field: i.Field?.Name));
                    continue;
                }
                if (i.Op == Opcode.NewArray && i.Type.Element!.Aggregate is { CountedLeaves.Count: > 0 } element && StructElements.WhyNot(element) is { } why)
                    throw new CompilationException(CompilationErrorKind.UnsupportedType, f.DisplayName, $"new {element.Name}[…]", i.Location.IlOffset, i.Location.File, i.Location.Line,
                        $"the runtime cannot release the elements of this array: {why}");
                scratch.Instructions.Add(i);
                if (i.Result is { } read && kept.Contains(read))
                    inserted += Refcount(w, Opcode.Incref, read, new(RefcountWhy.KeptAcrossCall));
                if (i.Result is { } result && i.Type.HoldsCounted && (i.MakesReference || kept.Contains(result)))
                {
                    int owner = NewSlot(i.Type);
                    ValueId previous = w.LoadSlot(owner);
                    w.Append(Opcode.StoreSlot, IrType.Void, [result], x => Slot(x, owner));
                    inserted += Refcount(w, Opcode.Decref, previous, new(RefcountWhy.SiteReleasesPrevious));
                }
            }
            block.Instructions.Clear();
            block.Instructions.AddRange(scratch.Instructions);
        }
        // Returns last, once every hidden slot exists: each releases them all.
        foreach (IrBlock block in f.Blocks)
        {
            if (block.Terminator is not { Op: Opcode.Return } ret)
                continue;
            block.Instructions.RemoveAt(block.Instructions.Count - 1);
            var w = new BlockWriter(f, block, ret.Location);
            if (ret.Operands.Length == 1)
                inserted += Refcount(w, Opcode.Incref, ret.Operands[0], new(RefcountWhy.CallerGets));
            void Release(int slot) => inserted += Refcount(w, Opcode.Decref, w.LoadSlot(slot), new(RefcountWhy.ExitReleases, slot));
            foreach (int slot in userArraySlots)
                Release(slot);
            foreach (int slot in hiddenSlots)
                Release(slot);
            block.Instructions.Add(ret);
        }
        return inserted;
    }

    static Instruction Slot(Instruction store, int slot) =>
        new(store.Op, store.Type, store.Result, store.Operands, store.Location) { Slot = slot };

    /// <summary>
    /// Counted values (and structs holding them) read from a field, an element or through a byref
    /// that are used at or after a call that may release shared references, or leave the block
    /// (where such a call may follow).
    /// </summary>
    static HashSet<ValueId> KeptAcrossCalls(IrBlock block, IReadOnlyList<bool> releases)
    {
        var kept = new HashSet<ValueId>();
        List<Instruction> list = block.Instructions;
        for (int n = 0; n < list.Count; n++)
        {
            if (list[n] is not { Op: Opcode.LoadField or Opcode.LoadElement or Opcode.LoadIndirect, Result: { } read } || !list[n].Type.HoldsCounted)
                continue;
            int call = list.FindIndex(n + 1, i => i.Op == Opcode.Call && releases[i.Callee]);
            int lastUse = list.FindLastIndex(i => i.Reads(read));
            if ((call >= 0 && lastUse >= call) || list[^1].Targets.Any(t => t.Arguments.Contains(read)))
                kept.Add(read);
        }
        return kept;
    }

    /// <summary>
    /// Appends the refcount operations a value needs: one on an array or instance, one on each
    /// reference a struct holds (read out with <c>extract_member</c>), none on the null constant or
    /// on a value that holds no reference. Returns how many.
    /// </summary>
    static int Refcount(BlockWriter w, Opcode op, ValueId value, RefcountReason reason)
    {
        IrType type = w.Function.TypeOf(value);
        if (type.IsCounted)
        {
            w.Append(op, IrType.Void, [value], x => new Instruction(x.Op, x.Type, x.Result, x.Operands, x.Location) { Reason = reason });
            return 1;
        }
        if (type.Aggregate is not { } layout)
            return 0;
        foreach (CountedLeaf leaf in layout.CountedLeaves)
        {
            ValueId member = value;
            IrType outer = type;
            foreach (int index in leaf.Path)
            {
                IrType field = outer.Aggregate!.Fields[index].Type;
                member = w.Append(Opcode.ExtractMember, field.StackType, [member], x => new Instruction(x.Op, x.Type, x.Result, x.Operands, x.Location) { TargetType = field, Constant = index });
                outer = field;
            }
            w.Append(op, IrType.Void, [member], x => new Instruction(x.Op, x.Type, x.Result, x.Operands, x.Location) { Reason = reason });
        }
        return layout.CountedLeaves.Count;
    }
}
