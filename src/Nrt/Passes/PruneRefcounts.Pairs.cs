using Targets.Frontend.Ir;

namespace Targets.Runtime.Passes;

/// <summary>The Pairs strategy of <see cref="PruneRefcounts"/>.</summary>
public static partial class PruneRefcounts
{
    /// <summary>
    /// Incref(x) … Decref(y), y the same array or instance as x (the same value, or a load of a slot
    /// that holds it): both go, when the block does not end between and x is not used between
    /// except by one store into a field of an object a slot keeps alive. The reference y releases
    /// is held by its slot until that decref, so the count cannot reach zero early. The one the
    /// incref made has no owner until that store (a raise before it would have leaked it; now it
    /// never existed); after the store it is the field's, which nothing between may overwrite (no
    /// store to that field), destroy (no release of the object, no store to the slot keeping it)
    /// or raise past (the unwind would release the slot's reference too): the field simply takes
    /// over the slot's reference — a move. The object may also be one made in this block that no slot
    /// holds yet (a constructor inlined before a variable takes it): only a release of it could
    /// destroy it and a raise would lose it, and both stop the search, as for a kept one.
    /// Repeats until nothing pairs: removing one pair can clear the way for an earlier one.
    /// </summary>
    static int CancelPairs(IrFunction f, IrBlock block, HashSet<int> addressTaken)
    {
        int total = 0;
        for (int removed = CancelPairsOnce(f, block, addressTaken); removed > 0; removed = CancelPairsOnce(f, block, addressTaken))
            total += removed;
        return total;
    }

    static int CancelPairsOnce(IrFunction f, IrBlock block, HashSet<int> addressTaken)
    {
        int count = 0;
        List<Instruction> list = block.Instructions;
        Dictionary<ValueId, Instruction> definitions = Definitions(block);
        // What a load of a slot no pointer reaches reads: the value last stored to it earlier in the
        // block, else the block's first load of it (so loads with no store between agree).
        ValueId Resolve(ValueId v)
        {
            if (!definitions.TryGetValue(v, out Instruction? load) || load.Op != Opcode.LoadSlot || addressTaken.Contains(load.Slot))
                return v;
            for (int k = list.IndexOf(load) - 1; k >= 0; k--)
            {
                if (list[k].Op == Opcode.StoreSlot && list[k].Slot == load.Slot)
                    return Resolve(list[k].Operands[0]);
                if (list[k].Op == Opcode.LoadSlot && list[k].Slot == load.Slot)
                    load = list[k];
            }
            return load.Result!.Value;
        }
        bool UsesAlias(Instruction i, ValueId x) =>
            i.Operands.Any(o => Resolve(o) == x) || i.Targets.Any(t => t.Arguments.Any(a => Resolve(a) == x));
        // A slot no pointer reaches that holds o just before index at (it was stored or loaded there).
        int KeeperOf(ValueId o, int at)
        {
            for (int k = at - 1; k >= 0; k--)
            {
                Instruction i = list[k];
                if (i.Op is Opcode.StoreSlot or Opcode.LoadSlot && !addressTaken.Contains(i.Slot) && f.Slots[i.Slot].IsCounted
                    && Resolve(i.Op == Opcode.StoreSlot ? i.Operands[0] : i.Result!.Value) == o
                    && !list.Skip(k + 1).Take(at - k - 1).Any(j => j.Op == Opcode.StoreSlot && j.Slot == i.Slot))
                    return i.Slot;
            }
            return -1;
        }

        bool IsNew(ValueId v) => definitions.TryGetValue(v, out Instruction? made) && made.Op == Opcode.NewInstance;

        // Field accesses on an instance made in this block cannot raise: it is not null.
        bool CannotRaise(Instruction i) =>
            i.Op is Opcode.LoadField or Opcode.StoreField or Opcode.FieldAddress or Opcode.CheckNull
            && definitions.TryGetValue(Resolve(i.Operands[0]), out Instruction? made) && made.Op == Opcode.NewInstance;

        for (int n = 0; n < list.Count; n++)
        {
            if (list[n].Op != Opcode.Incref)
                continue;
            ValueId x = Resolve(list[n].Operands[0]);
            Instruction? field = null; // the store that moved the reference into a field
            ValueId owner = default;
            int keeper = -1;
            for (int m = n + 1; m < list.Count; m++)
            {
                Instruction i = list[m];
                if (i.Op == Opcode.Decref && Resolve(i.Operands[0]) == x)
                {
                    list.RemoveAt(m);
                    list.RemoveAt(n);
                    n--;
                    count++;
                    break;
                }
                if (OpcodeInfo.IsTerminator(i.Op))
                    break;
                if (field is null && i.Op == Opcode.StoreField && Resolve(i.Operands[1]) == x && Resolve(i.Operands[0]) != x
                    && ((keeper = KeeperOf(Resolve(i.Operands[0]), m)) >= 0 || IsNew(Resolve(i.Operands[0]))))
                {
                    field = i;
                    owner = Resolve(i.Operands[0]);
                    continue;
                }
                if (UsesAlias(i, x))
                    break;
                // Once the field holds the reference, a raise would release the slot's as well.
                if (field is not null
                    && ((OpcodeInfo.MayThrow(i.Op) && !CannotRaise(i))
                        || (i.Op is Opcode.StoreField or Opcode.FieldAddress && i.Field == field.Field) || i.Op == Opcode.StoreIndirect
                        || (i.Op == Opcode.Decref && Resolve(i.Operands[0]) == owner) || (i.Op == Opcode.StoreSlot && i.Slot == keeper)))
                    break;
            }
        }
        return count;
    }
}
