using Targets.Frontend.Analysis;
using Targets.Frontend.Ir;

namespace Targets.Frontend.Passes;

/// <summary>
/// Versions innermost counted loops so that the common case runs without array bounds checks
/// (which otherwise keep LLVM from vectorising: a check is an early loop exit). A loop qualifies
/// when its header tests <c>j &lt; B</c> (or <c>j &lt;= B</c>) on an int local <c>j</c> that the
/// loop changes only by one <c>j = j + 1</c> in its single latch, <c>B</c> is loop-invariant,
/// and it is entered from one block ending in a jump. Accesses whose array is an invariant local
/// and whose index is <c>j</c>, <c>inv + j</c> or an invariant expression are proven in bounds
/// for all iterations by a guard in front of the loop: guard true runs a copy of the loop with
/// those checks removed; guard false (or any array null) runs the original, which raises exactly
/// where .NET would. Other accesses keep their checks in both copies.
/// Guarantees: behaviour is unchanged; only checks proven redundant are dropped.
/// Leaves alone: loops whose counter or invariants have their address taken, non-unit steps,
/// Debug-build loops that keep the comparison in a local. Needs: CFG, dominators, natural loops.
/// </summary>
public static class VersionLoopsForBoundsChecks
{
    /// <summary>An invariant expression: a tree of instructions of the loop's blocks, recomputable anywhere.</summary>
    sealed record Tree(Instruction Root, IrFunction Function, Dictionary<ValueId, Instruction> Definitions);

    sealed record Access(Instruction Instruction, int ArraySlot, IndexForm[] Indices);

    /// <summary>An index <c>Base + j</c> (its Add instruction) the guard proves free of overflow.</summary>
    static Instruction? IndexAdd(IndexForm form, ValueId index, Dictionary<ValueId, Instruction> definitions) =>
        form.UsesCounter && form.Base is not null && definitions.TryGetValue(index, out Instruction? add) && add.Op == Opcode.Add ? add : null;

    /// <summary>An index: either invariant (<see cref="Base"/> only) or <c>Base + j</c> (Base may be null: just <c>j</c>).</summary>
    sealed record IndexForm(bool UsesCounter, ValueId? Base);

    /// <summary>
    /// The most loops one function has versioned. Each versioned loop is a second, vectorised
    /// copy LLVM optimises and generates code for, and LLVM's loop passes cost more per loop the
    /// more loops a function has (loop rotation, unrolling and strength reduction grow with the
    /// square of the loops in one function: docs/benchmarks.md, compile time): a generated
    /// function of 400 loops compiled five times slower versioned than not. Hand-written functions
    /// have a few; past this many the deepest are versioned (they run the most iterations), the
    /// others keep their checks.
    /// </summary>
    public const int MaxVersionedLoops = 32;

    /// <summary>
    /// Versions the innermost loops found by one analysis of the function (the CFG, dominators and
    /// loops are computed once, not once per loop: a function of many loops would pay for all of
    /// them each time), the deepest first, at most <see cref="MaxVersionedLoops"/>. Versioning a
    /// loop leaves every other innermost loop as it was: innermost loops are disjoint, the new
    /// blocks (the guard, the copy) lie outside the others, and no other loop's header gains a
    /// predecessor — what <see cref="TryVersion"/> reads of the stale analysis (a loop's blocks,
    /// its header's predecessors) still holds. Returns the loops versioned and those left checked
    /// for the cap alone.
    /// </summary>
    public static (int Versioned, int Capped) Run(IrFunction function)
    {
        var cfg = new ControlFlowGraph(function);
        List<NaturalLoop> loops = NaturalLoop.Find(cfg, new DominatorTree(cfg));
        // How deep each loop's header is: the loops whose blocks hold it, itself included.
        var depth = new Dictionary<int, int>();
        foreach (NaturalLoop loop in loops)
            depth[loop.Header] = 0;
        foreach (NaturalLoop loop in loops)
        {
            foreach (int block in loop.Blocks)
            {
                if (depth.TryGetValue(block, out int d))
                    depth[block] = d + 1;
            }
        }
        var headers = new HashSet<int>(depth.Keys);
        // Deepest first, in the order found within a depth (loops, not LINQ's OrderBy: its code over
        // an int key is JIT-compiled in every process, on a first compile's path).
        int deepest = 0;
        foreach (int d in depth.Values)
            deepest = Math.Max(deepest, d);
        var candidates = new List<NaturalLoop>();
        for (int d = deepest; d > 0; d--)
        {
            foreach (NaturalLoop loop in loops)
            {
                if (depth[loop.Header] == d && loop.IsInnermostAmong(headers))
                    candidates.Add(loop);
            }
        }
        HashSet<int> addressTaken = function.SlotsNamedBy(Opcode.SlotAddress);
        int versioned = 0, capped = 0;
        foreach (NaturalLoop loop in candidates)
        {
            if (versioned == MaxVersionedLoops)
                capped++;
            else if (TryVersion(function, cfg, loop, addressTaken))
                versioned++;
        }
        return (versioned, capped);
    }

    static bool TryVersion(IrFunction f, ControlFlowGraph cfg, NaturalLoop loop, HashSet<int> addressTaken)
    {
        IrBlock header = f.Blocks[loop.Header];
        if (header.Parameters.Count != 0 || loop.Latches.Count != 1)
            return false;
        var definitions = new Dictionary<ValueId, Instruction>();
        foreach (int b in loop.Blocks)
        {
            foreach (Instruction i in f.Blocks[b].Instructions)
            {
                if (i.Result is { } r)
                    definitions[r] = i;
            }
        }

        // Entered from exactly one outside block, through a plain jump.
        // Loops over block numbers rather than LINQ: LINQ over ints is JIT-compiled in every process.
        var outside = new List<int>();
        foreach (int p in cfg.Predecessors[loop.Header])
        {
            if (!loop.Blocks.Contains(p))
                outside.Add(p);
        }
        if (outside.Count != 1 || f.Blocks[outside[0]].Terminator is not { Op: Opcode.Jump } entryJump || entryJump.Targets[0].Arguments.Length != 0)
            return false;
        IrBlock preheader = f.Blocks[outside[0]];

        // Slots whose address is taken anywhere may change behind our back (a copy of the loop takes
        // no new addresses: the set stays right); slots stored in the loop are not invariant.
        var storedInLoop = new List<Instruction>();
        foreach (int b in loop.Blocks)
            storedInLoop.AddRange(f.Blocks[b].Instructions.Where(i => i.Op == Opcode.StoreSlot));

        // The header's test: stay in the loop while j < B (or j <= B).
        if (header.Terminator is not { Op: Opcode.Branch } branch || !definitions.TryGetValue(branch.Operands[0], out Instruction? test) || test.Op != Opcode.Compare)
            return false;
        bool stayOnTrue = loop.Blocks.Contains(branch.Targets[0].Block.Index);
        if (stayOnTrue == loop.Blocks.Contains(branch.Targets[1].Block.Index))
            return false;
        // brtrue/brfalse test "x != 0" / "x == 0"; Debug IL also parks the comparison in a local first.
        while (UnwrapTruthTest(test, header, definitions) is ({ } inner, bool negated))
        {
            test = inner;
            if (negated)
                stayOnTrue = !stayOnTrue;
        }
        Condition stay = stayOnTrue ? test.Condition : Negate(test.Condition);
        (ValueId counterLoad, ValueId bound, bool inclusive) = stay switch
        {
            Condition.LtS => (test.Operands[0], test.Operands[1], false),
            Condition.LeS => (test.Operands[0], test.Operands[1], true),
            Condition.GtS => (test.Operands[1], test.Operands[0], false),
            Condition.GeS => (test.Operands[1], test.Operands[0], true),
            _ => (default, default, false),
        };
        if (stay is not (Condition.LtS or Condition.LeS or Condition.GtS or Condition.GeS))
            return false;
        if (!definitions.TryGetValue(counterLoad, out Instruction? load) || load.Op != Opcode.LoadSlot || f.Slots[load.Slot] != IrType.I32)
            return false;
        int counter = load.Slot;
        if (addressTaken.Contains(counter))
            return false;

        bool IsInvariant(ValueId v) => IsInvariantTree(v, definitions, f, addressTaken, storedInLoop, counter, lengths: false);
        // The bound may read an array's length (i < a.Length): the header evaluates it before
        // anything else in the loop, so evaluating it in the guard raises at the same point.
        if (f.TypeOf(bound) != IrType.I32 || !IsInvariantTree(bound, definitions, f, addressTaken, storedInLoop, counter, lengths: true))
            return false;

        // The counter changes once per iteration, by + 1, in the latch.
        List<Instruction> counterStores = storedInLoop.Where(s => s.Slot == counter).ToList();
        IrBlock latch = f.Blocks[loop.Latches[0]];
        if (counterStores.Count != 1 || !latch.Instructions.Contains(counterStores[0]) || !IsIncrement(counterStores[0], counter, definitions))
            return false;
        int incrementAt = latch.Instructions.IndexOf(counterStores[0]);

        // Accesses whose checks the guard can prove.
        var accesses = new List<Access>();
        foreach (int b in loop.Blocks)
        {
            IrBlock block = f.Blocks[b];
            for (int n = 0; n < block.Instructions.Count; n++)
            {
                Instruction i = block.Instructions[n];
                if (i.Op is not (Opcode.LoadElement or Opcode.StoreElement or Opcode.ElementAddress))
                    continue;
                if (block == latch && n > incrementAt)
                    continue; // reads the incremented counter
                if (!definitions.TryGetValue(i.Operands[0], out Instruction? array) || array.Op != Opcode.LoadSlot
                    || addressTaken.Contains(array.Slot) || storedInLoop.Any(s => s.Slot == array.Slot))
                    continue;
                int rank = f.Slots[array.Slot].Rank;
                var forms = new IndexForm[rank];
                bool all = true;
                for (int d = 0; d < rank && all; d++)
                {
                    IndexForm? form = ClassifyIndex(i.Operands[1 + d], counter, definitions, f, IsInvariant);
                    all = form is not null;
                    forms[d] = form!;
                }
                if (all)
                    accesses.Add(new Access(i, array.Slot, forms));
            }
        }
        if (accesses.Count == 0)
            return false;

        // In the checked-free copy, index additions and the counter's increment cannot overflow:
        // the guard proved every index in [0, length) and the counter stays below the bound.
        var noWrap = accesses.SelectMany(a => a.Indices.Select((form, d) => IndexAdd(form, a.Instruction.Operands[1 + d], definitions)))
            .OfType<Instruction>().Append(definitions[counterStores[0].Operands[0]]).ToHashSet();
        int cloneHeader = CloneLoop(f, loop, accesses.Select(a => a.Instruction).ToHashSet(), noWrap);
        EmitGuard(f, preheader, entryJump, loop.Header, cloneHeader, counter, bound, inclusive, accesses, definitions);
        return true;
    }

    /// <summary>For <c>c != 0</c> or <c>c == 0</c> on a comparison c (directly or through a local set in the same block): c, and whether it is negated.</summary>
    static (Instruction?, bool) UnwrapTruthTest(Instruction test, IrBlock block, Dictionary<ValueId, Instruction> definitions)
    {
        if (test.Condition is not (Condition.Ne or Condition.Eq)
            || !definitions.TryGetValue(test.Operands[1], out Instruction? zero) || zero.Op != Opcode.Const || zero.Constant != 0
            || !definitions.TryGetValue(test.Operands[0], out Instruction? value))
            return (null, false);
        if (value.Op == Opcode.LoadSlot)
        {
            int at = block.Instructions.IndexOf(value);
            Instruction? store = block.Instructions.Take(at).LastOrDefault(i => i.Op == Opcode.StoreSlot && i.Slot == value.Slot);
            if (store is null || !definitions.TryGetValue(store.Operands[0], out value))
                return (null, false);
        }
        return value.Op == Opcode.Compare ? (value, test.Condition == Condition.Eq) : (null, false);
    }

    static Condition Negate(Condition c) => c switch
    {
        // Integer tests only (the counter is an int): the negation of < is >=, and so on.
        Condition.LtS => Condition.GeS,
        Condition.GeS => Condition.LtS,
        Condition.LeS => Condition.GtS,
        Condition.GtS => Condition.LeS,
        _ => Condition.Eq,
    };

    static bool IsIncrement(Instruction store, int counter, Dictionary<ValueId, Instruction> definitions)
    {
        if (!definitions.TryGetValue(store.Operands[0], out Instruction? add) || add.Op != Opcode.Add || add.Type != IrType.I32)
            return false;
        bool IsCounter(ValueId v) => definitions.TryGetValue(v, out Instruction? i) && i.Op == Opcode.LoadSlot && i.Slot == counter;
        bool IsOne(ValueId v) => definitions.TryGetValue(v, out Instruction? i) && i.Op == Opcode.Const && i.Constant == 1;
        return (IsCounter(add.Operands[0]) && IsOne(add.Operands[1])) || (IsOne(add.Operands[0]) && IsCounter(add.Operands[1]));
    }

    static IndexForm? ClassifyIndex(ValueId index, int counter, Dictionary<ValueId, Instruction> definitions, IrFunction f, Func<ValueId, bool> isInvariant)
    {
        if (f.TypeOf(index) != IrType.I32)
            return null;
        bool IsCounter(ValueId v) => definitions.TryGetValue(v, out Instruction? i) && i.Op == Opcode.LoadSlot && i.Slot == counter;
        if (IsCounter(index))
            return new IndexForm(true, null);
        if (isInvariant(index))
            return new IndexForm(false, index);
        if (definitions.TryGetValue(index, out Instruction? add) && add.Op == Opcode.Add)
        {
            if (IsCounter(add.Operands[1]) && isInvariant(add.Operands[0]))
                return new IndexForm(true, add.Operands[0]);
            if (IsCounter(add.Operands[0]) && isInvariant(add.Operands[1]))
                return new IndexForm(true, add.Operands[1]);
        }
        return null;
    }

    /// <summary>
    /// Constants, loads of slots the loop leaves alone, and non-throwing arithmetic on them; with
    /// <paramref name="lengths"/>, also the length of an array in such a slot.
    /// </summary>
    static bool IsInvariantTree(ValueId v, Dictionary<ValueId, Instruction> definitions, IrFunction f, HashSet<int> addressTaken,
        List<Instruction> storedInLoop, int counter, bool lengths)
    {
        if (!definitions.TryGetValue(v, out Instruction? i))
            return false;
        bool Operand(ValueId o) => IsInvariantTree(o, definitions, f, addressTaken, storedInLoop, counter, lengths);
        bool Unchanged(int slot) => slot != counter && !addressTaken.Contains(slot) && storedInLoop.All(s => s.Slot != slot);
        return i.Op switch
        {
            Opcode.Const => true,
            Opcode.LoadSlot => (f.Slots[i.Slot].IsScalar || (lengths && f.Slots[i.Slot].Kind == IrTypeKind.Array)) && Unchanged(i.Slot),
            Opcode.ArrayLength => lengths && Operand(i.Operands[0]),
            Opcode.Add or Opcode.Sub or Opcode.Mul or Opcode.And or Opcode.Or or Opcode.Xor or Opcode.Shl or Opcode.Shr or Opcode.ShrUn
                => i.Operands.All(Operand),
            Opcode.Convert => !i.Checked && !f.TypeOf(i.Operands[0]).IsFloat && Operand(i.Operands[0]),
            _ => false,
        };
    }

    /// <summary>Copies an invariant tree into <paramref name="w"/>'s block; returns the copy's value.</summary>
    static ValueId Recompute(ValueId v, Dictionary<ValueId, Instruction> definitions, BlockWriter w, IrFunction f)
    {
        Instruction i = definitions[v];
        ValueId[] operands = i.MapOperands(o => Recompute(o, definitions, w, f));
        ValueId result = f.NewValue(i.Type);
        w.Block.Instructions.Add(i.Copy(result, operands, [], i.BoundsChecked));
        return result;
    }

    /// <summary>
    /// Duplicates the loop's blocks; the copies of <paramref name="proven"/> lose their checks and
    /// those of <paramref name="noWrap"/> are marked free of signed overflow. Returns the copy of the header.
    /// </summary>
    static int CloneLoop(IrFunction f, NaturalLoop loop, HashSet<Instruction> proven, HashSet<Instruction> noWrap)
    {
        var blockMap = new Dictionary<int, IrBlock>();
        foreach (int b in loop.Blocks.Order())
            blockMap[b] = f.NewBlock(f.Blocks[b].IlOffset);
        // A copy raises where its original does: to the copy of a handler inside the loop, else to the same one.
        foreach ((int b, IrBlock copy) in blockMap)
            copy.Handler = f.Blocks[b].Handler is { } h ? (blockMap.TryGetValue(h.Index, out IrBlock? inside) ? inside.Id : h) : null;
        foreach (int b in loop.Blocks)
        {
            IrBlock source = f.Blocks[b], copy = blockMap[b];
            var values = new Dictionary<ValueId, ValueId>();
            ValueId Map(ValueId v) => values.TryGetValue(v, out ValueId m) ? m : v;
            foreach (ValueId p in source.Parameters)
            {
                ValueId np = f.NewValue(f.TypeOf(p));
                values[p] = np;
                copy.Parameters.Add(np);
            }
            foreach (Instruction i in source.Instructions)
            {
                ValueId? result = i.Result is { } r ? f.NewValue(f.TypeOf(r)) : null;
                if (i.Result is { } old)
                    values[old] = result!.Value;
                BlockTarget[] targets = i.Targets.Select(t => new BlockTarget(
                    blockMap.TryGetValue(t.Block.Index, out IrBlock? inside) ? inside.Id : t.Block,
                    t.Arguments.Select(Map).ToArray())).ToArray();
                copy.Instructions.Add(i.Copy(result, i.MapOperands(Map), targets, i.BoundsChecked && !proven.Contains(i), noWrap.Contains(i)));
            }
        }
        return blockMap[loop.Header].Id.Index;
    }

    /// <summary>
    /// Replaces the preheader's jump with: arrays non-null? then (loop runs no iteration, or every
    /// proven index is in bounds)? then the unchecked copy, else the original.
    /// </summary>
    static void EmitGuard(IrFunction f, IrBlock preheader, Instruction entryJump, int original, int fast, int counter, ValueId bound,
        bool inclusive, List<Access> accesses, Dictionary<ValueId, Instruction> definitions)
    {
        SourceLocation at = entryJump.Location;
        preheader.Instructions.Remove(entryJump);
        int[] arraySlots = accesses.Select(a => a.ArraySlot).Distinct().ToArray();

        var nulls = new BlockWriter(f, preheader, at);
        ValueId allPresent = nulls.Const(IrType.I32, 1);
        foreach (int slot in arraySlots)
        {
            ValueId present = nulls.Compare(Condition.Ne, nulls.LoadSlot(slot), nulls.Null());
            allPresent = nulls.Append(Opcode.And, IrType.I32, [allPresent, present]);
        }
        IrBlock boundsBlock = f.NewBlock(preheader.IlOffset);
        boundsBlock.Handler = preheader.Handler;
        nulls.Branch(allPresent, boundsBlock.Id, new BlockId(original));

        var w = new BlockWriter(f, boundsBlock, at);
        ValueId first = w.Convert(w.LoadSlot(counter), IrType.NInt);
        ValueId limit = Recompute(bound, definitions, w, f);
        ValueId runs = w.Compare(inclusive ? Condition.LeS : Condition.LtS, w.LoadSlot(counter), limit);
        ValueId last = w.Convert(limit, IrType.NInt);
        if (!inclusive)
            last = w.Append(Opcode.Sub, IrType.NInt, [last, w.Const(IrType.NInt, 1)]);
        ValueId zero = w.Const(IrType.NInt, 0), intMax = w.Const(IrType.NInt, int.MaxValue);
        ValueId ok = w.Const(IrType.I32, 1);
        void Require(ValueId condition) => ok = w.Append(Opcode.And, IrType.I32, [ok, condition]);

        foreach (Access access in accesses)
        {
            ValueId array = w.LoadSlot(access.ArraySlot);
            int rank = access.Indices.Length;
            for (int d = 0; d < rank; d++)
            {
                IndexForm form = access.Indices[d];
                ValueId extent = rank == 1
                    ? w.Append(Opcode.ArrayLength, IrType.NInt, [array])
                    : w.Convert(w.Append(Opcode.ArrayDimension, IrType.I32, [array, w.Const(IrType.I32, d)]), IrType.NInt);
                if (!form.UsesCounter)
                {
                    ValueId index = w.Convert(Recompute(form.Base!.Value, definitions, w, f), IrType.NInt);
                    Require(w.Compare(Condition.LtU, index, extent));
                    continue;
                }
                ValueId low = first, high = last;
                if (form.Base is { } baseValue)
                {
                    ValueId offset = w.Convert(Recompute(baseValue, definitions, w, f), IrType.NInt);
                    low = w.Append(Opcode.Add, IrType.NInt, [offset, first]);
                    high = w.Append(Opcode.Add, IrType.NInt, [offset, last]);
                    // int arithmetic must not wrap over the iterations, or the index would jump around.
                    Require(w.Compare(Condition.LeS, high, intMax));
                }
                Require(w.Compare(Condition.GeS, low, zero));
                Require(w.Compare(Condition.LtS, high, extent));
            }
        }
        ValueId noIterations = w.Compare(Condition.Eq, runs, w.Const(IrType.I32, 0));
        ValueId takeFast = w.Append(Opcode.Or, IrType.I32, [noIterations, ok]);
        w.Branch(takeFast, new BlockId(fast), new BlockId(original));
    }
}
