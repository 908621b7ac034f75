using Targets.Frontend.Ir;

namespace Targets.Runtime.Passes;

/// <summary>
/// Removes reference-counting operations <see cref="InsertRefcounts"/> made redundant, by five
/// strategies (each can be switched off through <see cref="CompileOptions.RefcountPruning"/>):
/// <list type="bullet">
/// <item><b>ReplacedValues</b>: a store whose block uses no earlier-loaded array after it releases
/// the replaced value at once instead of parking it in the store site's graveyard slot; the first
/// store to a field of an instance made in the same block replaces null and releases nothing;</item>
/// <item><b>NewReferences</b>: an array or instance made by <c>new</c> (or returned by a call) and
/// stored into a variable in the same block, with nothing that may raise in between (stores into
/// the new instance's own fields, what an inlined constructor leaves, cannot), hands its reference
/// to the variable: the allocation site's hidden slot and the store's incref go;</item>
/// <item><b>Pairs</b>: an incref and a later decref of the same array or instance in one block
/// (the same value, or a load of a slot holding it), with nothing between that uses it or may
/// raise, cancel out.</item>
/// <item><b>BorrowedParameters</b>: an array parameter never assigned in the method borrows the
/// caller's reference (the caller holds it for the whole call): its slot takes no reference on
/// entry and releases none on exit (<see cref="IrFunction.BorrowedSlots"/> tells the unwind
/// block to skip it).</item>
/// <item><b>BorrowedCursors</b>: a variable that walks a linked structure from an anchor that keeps
/// its reference (<c>for (p = head; p != null; p = p.Next)</c>) borrows, when nothing where it is
/// in use can break the links or the anchor (see <c>BorrowCursors</c>): its stores and exits
/// count nothing.</item>
/// <item><b>BorrowedElements</b>: the same for a variable whose values are elements of an array an
/// anchor keeps (<c>var b = bodies[j]</c>), when nothing where it is in use can store a counted
/// element of any array, drop the array, or call what may.</item>
/// </list>
/// Guarantees: the reference counts every path observes at a raise, a call or a return are
/// unchanged, but for the references the two borrowing strategies leave to another owner that
/// provably outlives their use. Works block by block: values never cross blocks in this IR (the stack travels as
/// block parameters, variables as slots), so the cross-block strategies of Numba's refprune
/// (diamond, fan-out) have nothing to pair; BorrowedCursors alone looks across blocks, at where
/// a variable is live. Needs: the form InsertRefcounts produces (the two borrowing strategies run
/// first, on exactly that form).
/// </summary>
public static partial class PruneRefcounts
{
    public static IReadOnlyDictionary<string, int> Run(IrModule module, IrFunction f, RefcountPruning enabled)
    {
        var removed = new Dictionary<string, int>
        {
            ["ReplacedValues"] = 0, ["NewReferences"] = 0, ["Pairs"] = 0, ["BorrowedParameters"] = 0, ["BorrowedCursors"] = 0, ["BorrowedElements"] = 0, ["NeverStored"] = 0,
        };
        if (enabled.HasFlag(RefcountPruning.BorrowedParameters))
            removed["BorrowedParameters"] = BorrowParameters(f);
        if (enabled.HasFlag(RefcountPruning.BorrowedCursors) || enabled.HasFlag(RefcountPruning.BorrowedElements))
            (removed["BorrowedCursors"], removed["BorrowedElements"]) = BorrowCursors(module, f, enabled);
        foreach (IrBlock block in f.Blocks)
        {
            if (enabled.HasFlag(RefcountPruning.ReplacedValues))
                removed["ReplacedValues"] += ReleaseReplacedValuesAtOnce(f, block) + SkipReleasesOfFreshFields(f, block);
            if (enabled.HasFlag(RefcountPruning.NewReferences))
                removed["NewReferences"] += MoveNewReferencesIntoVariables(f, block);
            if (enabled.HasFlag(RefcountPruning.Pairs))
                removed["Pairs"] += CancelPairs(f, block);
        }
        removed["NeverStored"] = DropReleasesOfNeverStoredSlots(f);
        return removed;
    }

    /// <summary>Parameters stored once (on entry) and never assigned again keep no reference of their own.</summary>
    static int BorrowParameters(IrFunction f)
    {
        int count = 0;
        List<Instruction> all = f.Blocks.SelectMany(b => b.Instructions).ToList();
        for (int slot = 0; slot < f.ParameterTypes.Count; slot++)
        {
            if (!f.Slots[slot].IsCounted || all.Count(i => i.Op == Opcode.StoreSlot && i.Slot == slot) != 1)
                continue;
            List<Instruction> entry = f.Entry.Instructions;
            int store = entry.FindIndex(i => i.Op == Opcode.StoreSlot && i.Slot == slot && i.Operands[0] == f.Entry.Parameters[slot]);
            int incref = store < 0 ? -1 : entry.FindLastIndex(store, i => i.Op == Opcode.Incref && i.Operands[0] == f.Entry.Parameters[slot]);
            if (incref < 0)
                continue;
            entry.RemoveAt(incref);
            count++;
            var exit = new RefcountReason(RefcountWhy.ExitReleases, slot);
            foreach (IrBlock block in f.Blocks)
                count += block.Instructions.RemoveAll(i => i.Op == Opcode.Decref && i.Reason == exit);
            f.BorrowedSlots.Add(slot);
        }
        return count;
    }

    /// <summary>
    /// Hidden slots whose stores the strategies removed stay null: their exit releases are no-ops
    /// and go (always, not a strategy: it only tidies what the others leave).
    /// </summary>
    static int DropReleasesOfNeverStoredSlots(IrFunction f)
    {
        var stored = f.SlotsNamedBy(Opcode.StoreSlot);
        int count = 0;
        foreach (IrBlock block in f.Blocks)
        {
            Dictionary<ValueId, Instruction> definitions = Definitions(block);
            var dead = block.Instructions.Where(i => i.Op == Opcode.Decref && definitions.TryGetValue(i.Operands[0], out Instruction? load)
                && load.Op == Opcode.LoadSlot && !stored.Contains(load.Slot) && f.Slots[load.Slot].IsCounted).ToList();
            foreach (Instruction release in dead)
            {
                Instruction load = definitions[release.Operands[0]];
                block.Instructions.Remove(release);
                if (!block.Instructions.Any(i => i.Reads(load.Result!.Value)))
                    block.Instructions.Remove(load);
                count++;
            }
        }
        return count;
    }

    static Dictionary<ValueId, Instruction> Definitions(IrBlock block) =>
        block.Instructions.Where(i => i.Result is not null).ToDictionary(i => i.Result!.Value);


    /// <summary>
    /// StoreSlot(s, v) (or StoreField(o, v)); buried = LoadSlot(g); StoreSlot(g, old); Decref(buried)
    /// → the store; Decref(old).
    /// </summary>
    static int ReleaseReplacedValuesAtOnce(IrFunction f, IrBlock block)
    {
        int count = 0;
        List<Instruction> list = block.Instructions;
        for (int n = 0; n + 3 < list.Count; n++)
        {
            Instruction store = list[n], buried = list[n + 1], park = list[n + 2], release = list[n + 3];
            bool counted = store.Op == Opcode.StoreSlot ? f.Slots[store.Slot].IsCounted : store.Op == Opcode.StoreField && store.TargetType!.IsCounted;
            if (!counted
                || buried.Op != Opcode.LoadSlot || park.Op != Opcode.StoreSlot || park.Slot != buried.Slot
                || release.Op != Opcode.Decref || release.Operands[0] != buried.Result)
                continue;
            // Any array or instance loaded before the store (a parameter of the block included) must be
            // dead after it: it may be the value the store replaces.
            ValueId stored = store.Operands[^1];
            var before = new HashSet<ValueId>(); // loops: LINQ over ValueId is JIT-compiled in every process
            void Before(ValueId v)
            {
                if (f.TypeOf(v).IsCounted && v != stored && v != park.Operands[0])
                    before.Add(v);
            }
            foreach (ValueId parameter in block.Parameters)
                Before(parameter);
            for (int k = 0; k < n; k++)
            {
                if (list[k].Result is { } result)
                    Before(result);
            }
            if (list.Skip(n + 4).Any(i => i.ReadsAny(before)))
                continue;
            list[n + 3] = new Instruction(Opcode.Decref, IrType.Void, null, [park.Operands[0]], release.Location)
            {
                Reason = store.Op == Opcode.StoreSlot ? new(RefcountWhy.SlotReleasesReplaced, store.Slot) : new(RefcountWhy.FieldReleasesReplaced, Field: store.Field!.Name),
            };
            list.RemoveRange(n + 1, 2);
            count++;
        }
        return count;
    }

    /// <summary>
    /// o = NewInstance …; old = LoadField(F, o); [Incref(v);] StoreField(F, o, v); buried = LoadSlot(g);
    /// StoreSlot(g, old); Decref(buried) → o = NewInstance …; [Incref(v);] StoreField(F, o, v), when
    /// nothing between the allocation and the store can write F (no call, no store to or address
    /// of F): a new instance is zeroed, so the store replaces null.
    /// </summary>
    static int SkipReleasesOfFreshFields(IrFunction f, IrBlock block)
    {
        int count = 0;
        List<Instruction> list = block.Instructions;
        for (int n = 1; n + 3 < list.Count; n++)
        {
            Instruction store = list[n], buried = list[n + 1], park = list[n + 2], release = list[n + 3];
            if (store.Op != Opcode.StoreField || !store.TargetType!.IsCounted)
                continue;
            int at = list[n - 1].Op == Opcode.Incref && list[n - 1].Operands[0] == store.Operands[^1] ? n - 2 : n - 1;
            if (at < 0
                || list[at] is not { Op: Opcode.LoadField } old || old.Field != store.Field || old.Operands[0] != store.Operands[0]
                || buried.Op != Opcode.LoadSlot || park.Op != Opcode.StoreSlot || park.Slot != buried.Slot || park.Operands[0] != old.Result
                || release.Op != Opcode.Decref || release.Operands[0] != buried.Result
                || list.Count(i => i.Reads(old.Result!.Value)) != 1)
                continue;
            int made = list.FindIndex(i => i.Op == Opcode.NewInstance && i.Result == store.Operands[0]);
            if (made < 0 || made > at || list.Skip(made + 1).Take(at - (made + 1)).Any(i =>
                    i.Op is Opcode.Call or Opcode.StoreIndirect || (i.Op is Opcode.StoreField or Opcode.FieldAddress && i.Field == store.Field)))
                continue;
            list.RemoveRange(n + 1, 3);
            list.RemoveAt(at);
            n--;
            count++;
        }
        return count;
    }

    /// <summary>
    /// A store into a field of <paramref name="fresh"/>, an instance just made (never null: a failed
    /// allocation raises at <c>new</c>), cannot raise, unless the field holds an array (a lent .NET
    /// array is adopted there, which allocates). The constructor inlined into its caller is such stores.
    /// </summary>
    static bool StoresIntoFresh(IrFunction f, Instruction i, ValueId fresh) =>
        i.Op == Opcode.StoreField && i.Operands[0] == fresh && f.TypeOf(i.Operands[1]).Kind != IrTypeKind.Array;

    /// <summary>v = new …; prev = LoadSlot(h); StoreSlot(h, v); Decref(prev) … Incref(v); StoreSlot(s, v) → v = new …; StoreSlot(s, v).</summary>
    static int MoveNewReferencesIntoVariables(IrFunction f, IrBlock block)
    {
        int count = 0;
        List<Instruction> list = block.Instructions;
        for (int n = 0; n + 3 < list.Count; n++)
        {
            Instruction made = list[n], prev = list[n + 1], keep = list[n + 2], release = list[n + 3];
            if (made.Op is not (Opcode.NewArray or Opcode.NewInstance or Opcode.Call) || made.Result is not { } v
                || prev.Op != Opcode.LoadSlot || keep.Op != Opcode.StoreSlot || keep.Slot != prev.Slot || keep.Operands[0] != v
                || release.Op != Opcode.Decref || release.Operands[0] != prev.Result)
                continue;
            int incref = list.FindIndex(n + 4, i => i.Op == Opcode.Incref && i.Operands[0] == v);
            if (incref < 0 || incref + 2 >= list.Count || list[incref + 2] is not { Op: Opcode.StoreSlot } store || store.Operands[0] != v)
                continue;
            if (list.Skip(n + 4).Take(incref - (n + 4)).Any(i => OpcodeInfo.MayThrow(i.Op) && !StoresIntoFresh(f, i, v) || i.Op == Opcode.Decref))
                continue;
            // The hidden slot is written nowhere else, so it stays null and needs no release.
            int hidden = keep.Slot;
            if (f.Blocks.SelectMany(b => b.Instructions).Count(i => i.Op == Opcode.StoreSlot && i.Slot == hidden) != 1)
                continue;
            list.RemoveAt(incref);
            list.RemoveRange(n + 1, 3);
            count++;
        }
        return count;
    }
}
