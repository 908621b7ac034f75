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
/// block to skip it); so does a struct parameter that holds references, never assigned and whose
/// address is never taken.</item>
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
            ["ReplacedValues"] = 0, ["NewReferences"] = 0, ["Pairs"] = 0, ["BorrowedParameters"] = 0, ["BorrowedCursors"] = 0, ["BorrowedElements"] = 0, ["NullSlots"] = 0,
        };
        // A function that catches exceptions keeps the counts as inserted (correct on every path): the
        // strategies reason over the paths terminators take, and a raise leaves a protected block midway.
        if (f.Blocks.Any(b => b.Handler is not null))
            return removed;
        // Whose address is taken: no strategy takes or drops an address, so once per function.
        HashSet<int> addressed = f.SlotsNamedBy(Opcode.SlotAddress);
        if (enabled.HasFlag(RefcountPruning.BorrowedParameters))
            removed["BorrowedParameters"] = BorrowParameters(f, addressed);
        if (enabled.HasFlag(RefcountPruning.BorrowedCursors) || enabled.HasFlag(RefcountPruning.BorrowedElements))
            (removed["BorrowedCursors"], removed["BorrowedElements"]) = BorrowCursors(module, f, enabled, addressed);
        var stores = new Lazy<int[]>(() => StoresPerSlot(f));
        foreach (IrBlock block in f.Blocks)
        {
            if (enabled.HasFlag(RefcountPruning.ReplacedValues))
                removed["ReplacedValues"] += ReleaseReplacedValuesAtOnce(f, block) + SkipReleasesOfFreshFields(f, block);
            if (enabled.HasFlag(RefcountPruning.NewReferences))
                removed["NewReferences"] += MoveNewReferencesIntoVariables(f, block, stores);
            if (enabled.HasFlag(RefcountPruning.Pairs))
                removed["Pairs"] += CancelPairs(f, block, addressed);
        }
        removed["NullSlots"] = DropReleasesOfNullSlots(f, addressed);
        return removed;
    }

    /// <summary>
    /// Parameters stored once (on entry) and never assigned again keep no reference of their own; a
    /// struct parameter that holds references only when its address is never taken either (a store
    /// through it, or a mutating member called on it, would replace a reference the slot never took).
    /// </summary>
    static int BorrowParameters(IrFunction f, HashSet<int> addressed)
    {
        int count = 0;
        List<Instruction> all = f.Blocks.SelectMany(b => b.Instructions).ToList();
        for (int slot = 0; slot < f.ParameterTypes.Count; slot++)
        {
            IrType type = f.Slots[slot];
            if (!type.HoldsCounted || (!type.IsCounted && addressed.Contains(slot)) || all.Count(i => i.Op == Opcode.StoreSlot && i.Slot == slot) != 1)
                continue;
            List<Instruction> entry = f.Entry.Instructions;
            int store = entry.FindIndex(i => i.Op == Opcode.StoreSlot && i.Slot == slot && i.Operands[0] == f.Entry.Parameters[slot]);
            // The store's increfs: the parameter's own, or one per reference a struct holds (read out of it just before).
            var takes = new RefcountReason(RefcountWhy.SlotTakes, slot);
            List<Instruction> increfs = store < 0 ? [] : entry.Take(store).Where(i => i.Op == Opcode.Incref && i.Reason == takes).ToList();
            if (increfs.Count != (type.IsCounted ? 1 : type.Aggregate!.CountedLeaves.Count))
                continue;
            foreach (Instruction incref in increfs)
                entry.Remove(incref);
            count += increfs.Count;
            var exit = new RefcountReason(RefcountWhy.ExitReleases, slot);
            foreach (IrBlock block in f.Blocks)
                count += block.Instructions.RemoveAll(i => i.Op == Opcode.Decref && i.Reason == exit);
            f.BorrowedSlots.Add(slot);
        }
        return count;
    }

    /// <summary>
    /// Releases (and increfs) of values that are certainly null go: loads of a counted slot no path
    /// has stored a value that may be non-null into yet, and the references read out of a struct
    /// slot in that state (or out of <c>default(S)</c>). Every slot starts null; the insertion's
    /// hidden slots (the graveyards of replaced values, the shadows of parameters) and slots whose
    /// stores the strategies removed often stay so. Always on, not a strategy: an operation on null
    /// does nothing. LLVM removed each of them anyway, but only after lowering had built its ~60
    /// lines of inlined free path and the optimiser had simplified them away (binary-trees: about a
    /// third of the module it was given).
    /// </summary>
    static int DropReleasesOfNullSlots(IrFunction f, HashSet<int> addressed)
    {
        bool[][] nullOnEntry = NullSlotsOnEntry(f, addressed);
        int count = 0;
        for (int b = 0; b < f.Blocks.Count; b++)
        {
            IrBlock block = f.Blocks[b];
            if (nullOnEntry[b] is not { } slots)
                continue; // unreachable: nothing is known
            var nulls = new HashSet<ValueId>();
            var dead = new List<Instruction>();
            bool[] state = (bool[])slots.Clone();
            foreach (Instruction i in block.Instructions)
            {
                if (i.Op is Opcode.Incref or Opcode.Decref && nulls.Contains(i.Operands[0]))
                    dead.Add(i);
                Transfer(f, i, addressed, state, nulls);
            }
            foreach (Instruction operation in dead)
            {
                block.Instructions.Remove(operation);
                count++;
            }
            // What read them goes too once unread: the references read out of a struct (outermost last), then the loads.
            while (block.Instructions.RemoveAll(i => i.Op == Opcode.ExtractMember && nulls.Contains(i.Result!.Value) && !IsRead(block, i.Result!.Value)) > 0)
            {
            }
            block.Instructions.RemoveAll(i => i.Op == Opcode.LoadSlot && nulls.Contains(i.Result!.Value) && !IsRead(block, i.Result!.Value));
        }
        return count;
    }

    static bool IsRead(IrBlock block, ValueId value)
    {
        foreach (Instruction i in block.Instructions)
        {
            if (i.Reads(value))
                return true;
        }
        return false;
    }

    /// <summary>
    /// For each block, which slots are certainly null when it starts (null for a block no path
    /// reaches): a forward analysis to a fixed point, a slot being null on entry when it is null at
    /// the end of every predecessor. A slot whose address is taken is never certain.
    /// </summary>
    static bool[][] NullSlotsOnEntry(IrFunction f, HashSet<int> addressed)
    {
        var entry = new bool[f.Blocks.Count][];
        entry[f.Entry.Id.Index] = new bool[f.Slots.Count];
        for (int s = 0; s < f.Slots.Count; s++)
            entry[f.Entry.Id.Index][s] = !addressed.Contains(s);
        var work = new Queue<IrBlock>();
        work.Enqueue(f.Entry);
        while (work.TryDequeue(out IrBlock? block))
        {
            bool[] state = (bool[])entry[block.Id.Index].Clone();
            var nulls = new HashSet<ValueId>();
            foreach (Instruction i in block.Instructions)
                Transfer(f, i, addressed, state, nulls);
            if (block.Terminator is not { } terminator)
                continue;
            foreach (BlockTarget target in terminator.Targets)
            {
                int next = target.Block.Index;
                if (entry[next] is null)
                {
                    entry[next] = (bool[])state.Clone();
                    work.Enqueue(f.Blocks[next]);
                    continue;
                }
                bool changed = false;
                for (int s = 0; s < state.Length; s++)
                {
                    if (entry[next][s] && !state[s])
                    {
                        entry[next][s] = false; // the meet: null only if null on every path in
                        changed = true;
                    }
                }
                if (changed)
                    work.Enqueue(f.Blocks[next]);
            }
        }
        return entry;
    }

    /// <summary>One instruction's effect on which slots are null and which values are known null.</summary>
    static void Transfer(IrFunction f, Instruction i, HashSet<int> addressed, bool[] nullSlots, HashSet<ValueId> nulls)
    {
        switch (i.Op)
        {
            case Opcode.ConstNull:
            case Opcode.Const when i.Type.Kind == IrTypeKind.Aggregate: // default(S): every reference in it null
            case Opcode.ExtractMember when nulls.Contains(i.Operands[0]):
                nulls.Add(i.Result!.Value);
                break;
            case Opcode.LoadSlot when nullSlots[i.Slot] && f.Slots[i.Slot].HoldsCounted:
                nulls.Add(i.Result!.Value);
                break;
            case Opcode.StoreSlot:
                nullSlots[i.Slot] = nulls.Contains(i.Operands[0]) && !addressed.Contains(i.Slot);
                break;
        }
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

    /// <summary>
    /// How many stores each slot has, counted before the strategies run: they only remove stores,
    /// so a slot counted once has at most that one store still (never more than counted).
    /// </summary>
    static int[] StoresPerSlot(IrFunction f)
    {
        var stores = new int[f.Slots.Count];
        foreach (IrBlock block in f.Blocks)
        {
            foreach (Instruction i in block.Instructions)
            {
                if (i.Op == Opcode.StoreSlot)
                    stores[i.Slot]++;
            }
        }
        return stores;
    }

    /// <summary>v = new …; prev = LoadSlot(h); StoreSlot(h, v); Decref(prev) … Incref(v); StoreSlot(s, v) → v = new …; StoreSlot(s, v).</summary>
    static int MoveNewReferencesIntoVariables(IrFunction f, IrBlock block, Lazy<int[]> stores)
    {
        int count = 0;
        List<Instruction> list = block.Instructions;
        for (int n = 0; n + 3 < list.Count; n++)
        {
            Instruction made = list[n], prev = list[n + 1], keep = list[n + 2], release = list[n + 3];
            if (!made.MakesReference || made.Result is not { } v
                || prev.Op != Opcode.LoadSlot || keep.Op != Opcode.StoreSlot || keep.Slot != prev.Slot || keep.Operands[0] != v
                || release.Op != Opcode.Decref || release.Operands[0] != prev.Result)
                continue;
            int incref = list.FindIndex(n + 4, i => i.Op == Opcode.Incref && i.Operands[0] == v);
            if (incref < 0 || incref + 2 >= list.Count || list[incref + 2] is not { Op: Opcode.StoreSlot } store || store.Operands[0] != v)
                continue;
            if (list.Skip(n + 4).Take(incref - (n + 4)).Any(i => OpcodeInfo.MayThrow(i.Op) && !StoresIntoFresh(f, i, v) || i.Op == Opcode.Decref))
                continue;
            // The hidden slot is written nowhere else, so it stays null and needs no release.
            if (stores.Value[keep.Slot] != 1)
                continue;
            list.RemoveAt(incref);
            list.RemoveRange(n + 1, 3);
            count++;
        }
        return count;
    }
}
