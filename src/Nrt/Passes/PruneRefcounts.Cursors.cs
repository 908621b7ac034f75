using System.Reflection;
using Targets.Frontend.Analysis;
using Targets.Frontend.Ir;

namespace Targets.Runtime.Passes;

/// <summary>The BorrowedCursors strategy of <see cref="PruneRefcounts"/>.</summary>
public static partial class PruneRefcounts
{
    /// <summary>
    /// A variable <c>p</c> that walks a linked structure (<c>for (p = head; p != null; p = p.Next)</c>)
    /// borrows instead of counting: its stores take no reference and release nothing, its exits
    /// release nothing, and it joins <see cref="IrFunction.BorrowedSlots"/> so that the unwind
    /// block skips it. It qualifies when every value stored to it is
    /// <list type="bullet">
    /// <item>null, or an argument of the function (the caller keeps it for the whole call), or</item>
    /// <item>a load of an anchor: another counted slot no pointer reaches, which owns its reference
    /// or is a borrowed parameter (the caller keeps it), or</item>
    /// <item>a load of a walk field F (one or more links) from such a value or from <c>p</c> itself,</item>
    /// <item>(BorrowedElements) a load of an element of an array that is such a value (an argument,
    /// an anchor's value, or reached from one along walk fields),</item>
    /// </list>
    /// and nothing that could break a chain runs where <c>p</c> is in use: in a block where it is
    /// live on entry, or else from the first instruction that reads it or computes a value on its
    /// way into it, to the end of the block, nothing stores an anchor, stores or takes the address
    /// of a walk field, stores through a pointer, or calls a function that may do one of these
    /// (transitively, over the module's calls); for a cursor that reads elements, also nothing
    /// stores a counted element of any array or takes an element's address, no intrinsic touches an
    /// array of counted elements, and no call may release a reference other code can see
    /// (<see cref="StoreEffects.MayReleaseOf"/>, which covers element stores).
    /// <para>Why that is enough: every object <c>p</c> holds while it is live is reachable from an
    /// anchor's value along F links, and each link, like the anchor, holds a counted reference
    /// that only a store to that field or slot gives up; a decref elsewhere releases some other
    /// owner's reference and cannot bring a linked object's count to zero. An array's element is
    /// likewise held by the array (which its anchor keeps) until an element store replaces it, and
    /// any array may be the one read, so no counted element store of any array may run. Values never cross
    /// blocks, so what is read from <c>p</c> is used in the stretches checked (a cursor whose
    /// values leave a block as block arguments is left alone), and the stretches run to the end of
    /// their blocks, so a later strategy that treats <c>p</c> as the slot keeping an object alive
    /// there (Pairs) is right to. What is read from <c>p</c> and kept (stored in a field or
    /// another variable, returned) takes its own reference, as before. Anchors keep counting: a
    /// variable whose values come from another candidate (a copy of the cursor) is not made one.
    /// Races with other threads storing the same fields are not covered, as they are not between
    /// a field load and its incref either.</para>
    /// <para>Needs the naive form at every store to <c>p</c>
    /// (<c>incref v; old = load p; store p, v; buried = load g; store g, old; decref buried</c>)
    /// and at its exits; otherwise, or when any condition fails, the slot is left as it is.</para>
    /// </summary>
    /// <returns>The refcount operations removed for cursors that walk links only, and for those that read elements.</returns>
    static (int Links, int Elements) BorrowCursors(IrModule module, IrFunction f, RefcountPruning enabled, HashSet<int> addressTaken)
    {
        var cfg = new ControlFlowGraph(f);
        var candidates = new List<Cursor>(); // loops over slots: LINQ over ints is JIT-compiled in every process
        for (int slot = 0; slot < f.Slots.Count; slot++)
        {
            if (f.Slots[slot].IsCounted && !f.BorrowedSlots.Contains(slot) && !addressTaken.Contains(slot)
                && PlanCursor(f, slot, addressTaken) is { } cursor
                && enabled.HasFlag(cursor.Elements ? RefcountPruning.BorrowedElements : RefcountPruning.BorrowedCursors))
                candidates.Add(cursor);
        }
        if (candidates.Count == 0)
            return (0, 0);
        // An anchor must keep counting, so a copy of another candidate (q = p) is not one: p walks.
        // A candidate that only ever holds arguments (the copy of an array parameter a foreach
        // makes: null, arguments, or loads of parameters never assigned) may anchor, borrowed or
        // not: the caller keeps its values for the whole call.
        var parameters = f.BorrowedSlots.ToHashSet();
        var slots = new HashSet<int>();
        foreach (Cursor candidate in candidates)
        {
            if (candidate.Fields.Count > 0 || candidate.Elements || !candidate.Anchors.IsSubsetOf(parameters))
                slots.Add(candidate.Slot);
        }
        StoreEffects effects = StoreEffects.Of(module);
        IReadOnlyList<HashSet<FieldInfo>?> fieldsStored = effects.FieldsOf;
        IReadOnlyList<bool> mayRelease = effects.MayReleaseOf;
        (int links, int elements) = (0, 0);
        foreach (Cursor cursor in candidates.Where(c => !c.Anchors.Overlaps(slots) && KeepsItsChain(f, cfg, c, fieldsStored, mayRelease)))
        {
            foreach (IrBlock block in f.Blocks)
                block.Instructions.RemoveAll(cursor.Removed.Contains);
            int removed = cursor.Removed.Count(i => OpcodeInfo.IsRefcountOp(i.Op));
            if (cursor.Elements)
                elements += removed;
            else
                links += removed;
            f.BorrowedSlots.Add(cursor.Slot);
        }
        return (links, elements);
    }

    /// <summary>
    /// A candidate cursor: its slot, the anchors and walk fields its values come from, and its own
    /// reference counting (with the loads and graveyard stores that serve it), to be removed.
    /// </summary>
    sealed record Cursor(int Slot)
    {
        /// <summary>Whether some value stored in it is an array's element (the BorrowedElements strategy).</summary>
        public bool Elements { get; set; }

        public HashSet<int> Anchors { get; } = [];
        public HashSet<FieldInfo> Fields { get; } = [];
        public HashSet<Instruction> Removed { get; } = [];
    }

    /// <summary>The cursor <paramref name="p"/> would be, when all its stored values qualify and its refcounting has the naive form.</summary>
    static Cursor? PlanCursor(IrFunction f, int p, HashSet<int> addressTaken)
    {
        var cursor = new Cursor(p);
        var exit = new RefcountReason(RefcountWhy.ExitReleases, p);
        foreach (IrBlock block in f.Blocks)
        {
            List<Instruction> list = block.Instructions;
            Dictionary<ValueId, Instruction> definitions = Definitions(block);
            bool Reachable(ValueId v)
            {
                if (f.TypeOf(v) == IrType.Null || (block == f.Entry && f.Entry.Parameters.Contains(v)))
                    return true;
                if (!definitions.TryGetValue(v, out Instruction? d))
                    return false;
                if (d.Op == Opcode.LoadSlot)
                {
                    if (d.Slot != p && (!f.Slots[d.Slot].IsCounted || addressTaken.Contains(d.Slot)))
                        return false;
                    if (d.Slot != p)
                        cursor.Anchors.Add(d.Slot);
                    return true;
                }
                if (d.Op == Opcode.LoadElement)
                {
                    if (!Reachable(d.Operands[0]))
                        return false;
                    cursor.Elements = true;
                    return true;
                }
                if (d.Op != Opcode.LoadField || !Reachable(d.Operands[0]))
                    return false;
                cursor.Fields.Add(d.Field!);
                return true;
            }
            for (int k = 0; k < list.Count; k++)
            {
                Instruction i = list[k];
                if (i.Op == Opcode.Decref && i.Reason == exit)
                {
                    Instruction load = definitions[i.Operands[0]];
                    cursor.Removed.Add(i);
                    if (list.Count(j => j.Reads(load.Result!.Value)) == 1)
                        cursor.Removed.Add(load);
                    continue;
                }
                if (i.Op != Opcode.StoreSlot || i.Slot != p)
                    continue;
                ValueId v = i.Operands[0];
                bool counted = f.TypeOf(v) != IrType.Null;
                if (!Reachable(v) || k < (counted ? 2 : 1) || k + 3 >= list.Count
                    || list[k - 1] is not { Op: Opcode.LoadSlot } old || old.Slot != p || list.Count(j => j.Reads(old.Result!.Value)) != 1
                    || list[k + 1] is not { Op: Opcode.LoadSlot } buried
                    || list[k + 2] is not { Op: Opcode.StoreSlot } park || park.Slot != buried.Slot || park.Operands[0] != old.Result
                    || list[k + 3] is not { Op: Opcode.Decref } release || release.Operands[0] != buried.Result)
                    return null;
                if (counted)
                {
                    if (list[k - 2] is not { Op: Opcode.Incref } incref || incref.Operands[0] != v)
                        return null;
                    cursor.Removed.Add(incref);
                }
                cursor.Removed.UnionWith([old, buried, park, release]);
            }
        }
        return cursor;
    }

    /// <summary>
    /// Whether nothing can break the chains from the cursor's anchors to its values while they
    /// are in use: from the start of each block the cursor is live into, else from the first
    /// instruction that touches a value read from the cursor or on its way into it, to the end of
    /// the block, nothing stores an anchor, stores or takes the address of a walk field, stores
    /// through a pointer or calls what may; and no such value leaves its block.
    /// </summary>
    static bool KeepsItsChain(IrFunction f, ControlFlowGraph cfg, Cursor cursor, IReadOnlyList<HashSet<FieldInfo>?> fieldsStored, IReadOnlyList<bool> mayRelease)
    {
        int p = cursor.Slot, count = f.Blocks.Count;
        bool IsLoad(Instruction i) => i.Op == Opcode.LoadSlot && i.Slot == p && !cursor.Removed.Contains(i);
        // Where the slot is live on entry, as it will be once the cursor's own refcounting is gone.
        var readFirst = new bool[count];
        var written = new bool[count];
        foreach (IrBlock block in f.Blocks)
        {
            int n = block.Id.Index;
            foreach (Instruction i in block.Instructions)
            {
                readFirst[n] |= IsLoad(i) && !written[n];
                written[n] |= i.Op == Opcode.StoreSlot && i.Slot == p;
            }
        }
        var liveIn = new bool[count];
        for (bool changed = true; changed;)
        {
            changed = false;
            for (int n = count - 1; n >= 0; n--)
            {
                bool live = readFirst[n] || (!written[n] && cfg.Successors[n].Any(s => liveIn[s]));
                changed |= live != liveIn[n];
                liveIn[n] = live;
            }
        }

        foreach (IrBlock block in f.Blocks)
        {
            int n = block.Id.Index;
            List<Instruction> list = block.Instructions;
            Dictionary<ValueId, Instruction> definitions = Definitions(block);
            // Values read from the cursor, the links and anchor loads that feed its stores, and references computed from them.
            var related = new HashSet<ValueId>();
            foreach (Instruction store in list.Where(i => i.Op == Opcode.StoreSlot && i.Slot == p))
            {
                for (ValueId v = store.Operands[0]; definitions.TryGetValue(v, out Instruction? d) && d.Op is Opcode.LoadField or Opcode.LoadSlot or Opcode.LoadElement; v = d.Operands[0])
                {
                    related.Add(v);
                    if (d.Op == Opcode.LoadSlot)
                        break;
                }
            }
            int first = liveIn[n] ? 0 : -1;
            for (int k = 0; k < list.Count; k++)
            {
                Instruction i = list[k];
                if (cursor.Removed.Contains(i))
                    continue;
                if (i.Result is { } r && (IsLoad(i) || (i.Type.IsReference && !i.MakesReference
                        && i.Operands.Any(related.Contains))))
                    related.Add(r);
                if (i.Targets.Any(t => t.Arguments.Any(related.Contains)))
                    return false;
                if (first < 0 && ((i.Result is { } defined && related.Contains(defined)) || i.Operands.Any(related.Contains)))
                    first = k;
            }
            for (int k = first; k >= 0 && k < list.Count; k++)
            {
                Instruction i = list[k];
                bool breaks = !cursor.Removed.Contains(i) && i.Op switch
                {
                    Opcode.StoreSlot => cursor.Anchors.Contains(i.Slot),
                    Opcode.StoreField or Opcode.FieldAddress => cursor.Fields.Contains(i.Field!),
                    Opcode.StoreIndirect => true,
                    Opcode.Call => fieldsStored[i.Callee] is not { } stored || stored.Overlaps(cursor.Fields) || (cursor.Elements && mayRelease[i.Callee]),
                    Opcode.StoreElement or Opcode.ElementAddress => cursor.Elements && i.TargetType is { HoldsCounted: true },
                    Opcode.Intrinsic => cursor.Elements && i.Operands.Any(o => f.TypeOf(o) is { Kind: IrTypeKind.Array, Element.HoldsCounted: true }),
                    _ => false,
                };
                if (breaks)
                    return false;
            }
        }
        return true;
    }
}
