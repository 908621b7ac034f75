using Targets.Frontend.Analysis;
using Targets.Frontend.Ir;

namespace Targets.Frontend.Passes;

/// <summary>
/// Proves that the iterations of a <see cref="Prange"/> loop write disjoint elements of each
/// one-dimensional array, and that no iteration reads an element another one writes — the array
/// half of the outliner's race check (<see cref="OutlineParallelLoops"/>). The reasoning, the GCD /
/// Banerjee tests of dependence analysis specialised to one loop:
/// <list type="number">
/// <item><b>Affine indices.</b> Every index of an access to the array is written as
/// <c>S·i + Σ cⱼ·j + r</c>: <c>i</c> the Prange loop's value, the <c>j</c> counters of inner counted
/// loops, and <c>S</c>, <c>cⱼ</c>, <c>r</c> polynomials over loop-invariant values (variables the
/// loop never writes, their arrays' lengths, constants). A private variable written once per
/// iteration stands for what it was assigned (<c>row = i * n; a[row + j]</c>).</item>
/// <item><b>Counters.</b> An inner loop counts when its header tests <c>j &lt; B</c>, its only store
/// to <c>j</c> inside is <c>j = j + 1</c> in a block that goes straight back to the header, and its
/// one entry from outside assigns <c>j = lo</c> last, with <c>lo</c> and <c>B</c> invariant. A read
/// of <c>j</c> inside that loop's body, before the increment, is then in <c>[lo, B - 1]</c> (no
/// wrap: <c>j &lt; B ≤ int.MaxValue</c>). Reads of <c>j</c> elsewhere are not affine.</item>
/// <item><b>Windows.</b> With <c>S</c> the same for every access (reads included), each access
/// reaches <c>S·i + [min, max]</c> where min and max take every <c>j</c> at the end its
/// coefficient's sign picks. The writes' union <c>[Wmin, Wmax]</c> must be narrower than
/// <c>|S|</c>, and every read must lie inside it: then iteration <c>i</c> touches only
/// <c>S·i + [Wmin, Wmax]</c>, and these windows are disjoint for distinct <c>i</c>.</item>
/// <item><b>Proofs.</b> Inequalities between polynomials are shown by substitution: an inner loop
/// around every access of the array, bounded by <c>B = v + c</c> for one invariant <c>v</c>, runs
/// only when <c>v = w + lo + 1 - c</c> for some <c>w ≥ 0</c>; after substituting, a polynomial whose
/// coefficients are all positive over such <c>w</c> is non-negative. So <c>c[i*n + j]</c> with
/// <c>j &lt; n</c> gives <c>|S| - 1 - (Wmax - Wmin) = (w + 1) - 1 - w = 0 ≥ 0</c>. Facts from a loop
/// around only some accesses are not used: an access outside it runs even when the loop does not.</item>
/// <item><b>Wrap-around.</b> C#'s int arithmetic wraps, but it is arithmetic modulo 2³², so the
/// computed index is the true <c>S·i + r</c> modulo 2³². Two iterations' windows can then meet only if
/// <c>(span of i + 1)·|S| &gt; 2³²</c>. Where <c>|S| ≠ 1</c> the loop keeps the strides it must check
/// (what <see cref="Check"/> returns): the parallel call is taken only when that product fits, otherwise the
/// body runs in order on the calling thread — exactly .NET's semantics.</item>
/// </list>
/// Arrays are told apart by the variable that holds them (as Numba does; two variables holding one
/// array are the caller's to avoid); arrays reached otherwise (fields, calls) form one group of
/// unknown identity whose writes are checked together. Arrays made in the iteration are its own.
/// Two- and three-dimensional arrays keep the simpler rule: written at the loop's value in some
/// dimension. Anything not proved is a <see cref="CompilationErrorKind.Race"/> naming the index.
/// </summary>
internal sealed class PrangeArrayWindows
{
    /// <summary>What the outliner knows of the loop, and how it words a race.</summary>
    public sealed record Loop(
        IrFunction Function,
        HashSet<int> Region,
        int Header,
        ControlFlowGraph Cfg,
        Dictionary<ValueId, Instruction> Definitions,
        Func<Instruction, bool> IsLoopValue,
        Func<ValueId, List<ValueId>> Sources,
        Func<int, string> Name,
        Func<Instruction, string, string, CompilationException> Race);

    /// <summary>An unknown of the polynomials: an invariant variable, an invariant array's length, or an inner loop's width (≥ 0).</summary>
    enum AtomKind { Variable, Length, Width }

    sealed record Atom(AtomKind Kind, int Slot, Counter? Loop = null);

    /// <summary>An inner counted loop: <c>for (j = Lo; j &lt; Bound; j++)</c>.</summary>
    sealed record Counter(int Slot, NaturalLoop Loop, Polynomial Lo, Polynomial Bound, Instruction Increment, int IncrementBlock);

    /// <summary><c>Coefficients[null]</c> multiplies the Prange loop's value, <c>Coefficients[c]</c> counter c; <c>Rest</c> is invariant.</summary>
    sealed record Affine(Dictionary<Counter, Polynomial> Counters, Polynomial Stride, Polynomial Rest)
    {
        public static Affine Of(Polynomial rest) => new([], Polynomial.Zero, rest);

        public bool IsInvariant => Stride.IsZero && Counters.Count == 0;

        public static Affine operator +(Affine a, Affine b)
        {
            var counters = new Dictionary<Counter, Polynomial>(a.Counters);
            foreach ((Counter c, Polynomial p) in b.Counters)
                counters[c] = counters.TryGetValue(c, out Polynomial? q) ? q + p : p;
            foreach (Counter zero in counters.Where(c => c.Value.IsZero).Select(c => c.Key).ToList())
                counters.Remove(zero);
            return new(counters, a.Stride + b.Stride, a.Rest + b.Rest);
        }

        public Affine Times(Polynomial factor) =>
            new(Counters.Where(c => !(c.Value * factor).IsZero).ToDictionary(c => c.Key, c => c.Value * factor), Stride * factor, Rest * factor);

        public bool SameAs(Affine other) =>
            Stride.Equals(other.Stride) && Rest.Equals(other.Rest) && Counters.Count == other.Counters.Count
            && Counters.All(c => other.Counters.TryGetValue(c.Key, out Polynomial? p) && p.Equals(c.Value));
    }

    /// <summary>One element access: where, whether it writes, and its index (one entry per value a joined index can take).</summary>
    sealed record Access(Instruction At, bool Writes, int Block, List<Affine?> Indices, string Text, string? Blame);

    readonly Loop loop;
    readonly List<Atom> atoms = [];
    readonly Dictionary<int, List<Instruction>> storesTo = [];
    readonly Dictionary<Instruction, (int Block, int Position)> places = [];
    readonly List<Counter> counters = [];
    readonly HashSet<int> loopSlots;
    /// <summary>Values something other than a load reads as an operand (an element's address handed to a store or a call: a write).</summary>
    readonly HashSet<ValueId> handedOn = [];
    /// <summary>Element addresses a SIMD vector is loaded from or stored to, with its lane count: the access covers that many elements.</summary>
    readonly Dictionary<ValueId, int> vectorAccesses = [];
    readonly string loopName;
    /// <summary>Why the last evaluation found no affine form: the first part of the index that is not (for the refusal's message).</summary>
    string? blame;

    PrangeArrayWindows(Loop loop)
    {
        this.loop = loop;
        foreach (int b in loop.Region)
        {
            List<Instruction> instructions = loop.Function.Blocks[b].Instructions;
            for (int n = 0; n < instructions.Count; n++)
            {
                Instruction i = instructions[n];
                places[i] = (b, n);
                // A load through a ref reads (a vector's load too); so does taking a struct field's address that is only loaded in turn.
                bool vectorLoad = i is { Op: Opcode.Simd, Simd: SimdOp.Load };
                if (i.Op is not (Opcode.LoadIndirect or Opcode.MemberAddress) && !vectorLoad)
                    handedOn.UnionWith(i.Operands.Concat(i.Targets.SelectMany(t => t.Arguments)));
                if (vectorLoad || i is { Op: Opcode.Simd, Simd: SimdOp.Store })
                    vectorAccesses[i.Operands[^1]] = (vectorLoad ? i.Type : loop.Function.TypeOf(i.Operands[0])).Aggregate!.Lanes;
                if (i.Op is Opcode.StoreSlot or Opcode.SlotAddress)
                    (storesTo.TryGetValue(i.Slot, out var list) ? list : storesTo[i.Slot] = []).Add(i);
            }
        }
        // A field's address handed on hands on the struct's: an element written through a field of it is written.
        bool grew = true;
        while (grew)
        {
            grew = false;
            foreach (int b in loop.Region)
            {
                foreach (Instruction i in loop.Function.Blocks[b].Instructions)
                {
                    if (i.Op == Opcode.MemberAddress && handedOn.Contains(i.Result!.Value) && handedOn.Add(i.Operands[0]))
                        grew = true;
                }
            }
        }
        // Slots that only ever hold the loop's value (Debug IL keeps i in a local).
        loopSlots = [.. storesTo.Where(s => s.Value.All(i => i.Op == Opcode.StoreSlot && loop.Definitions.TryGetValue(i.Operands[0], out Instruction? d) && loop.IsLoopValue(d))).Select(s => s.Key)];
        loopName = loopSlots.Select(s => loop.Function.SlotNames.GetValueOrDefault(s)).FirstOrDefault(n => n is not null) ?? "i";
        var dominators = new DominatorTree(loop.Cfg);
        foreach (NaturalLoop inner in NaturalLoop.Find(loop.Cfg, dominators))
        {
            if (inner.Header != loop.Header && inner.Blocks.All(loop.Region.Contains) && AsCounter(inner) is { } counter)
                counters.Add(counter);
        }
    }

    /// <summary>
    /// Checks every array access of the loop; returns the strides other than ±1 that the parallel
    /// call must check at run time (see the wrap-around item above), as polynomials whose unknowns
    /// are the slots of the variables they read. Throws the race it cannot rule out.
    /// </summary>
    public static List<Polynomial> Check(Loop loop) => new PrangeArrayWindows(loop).CheckAll();

    // ---- counted inner loops ----------------------------------------------------------------

    Counter? AsCounter(NaturalLoop inner)
    {
        IrBlock header = loop.Function.Blocks[inner.Header];
        if (header.Terminator is not { Op: Opcode.Branch } branch || header.Parameters.Count > 0
            || !inner.Blocks.Contains(branch.Targets[0].Block.Index) || inner.Blocks.Contains(branch.Targets[1].Block.Index))
            return null;
        Instruction? test = Condition(branch.Operands[0], header);
        if (test is not { Op: Opcode.Compare, Condition: Ir.Condition.LtS or Ir.Condition.GtS })
            return null;
        (ValueId counterValue, ValueId boundValue) = test.Condition == Ir.Condition.LtS ? (test.Operands[0], test.Operands[1]) : (test.Operands[1], test.Operands[0]);
        if (!loop.Definitions.TryGetValue(counterValue, out Instruction? read) || read.Op != Opcode.LoadSlot || read.Type != IrType.I32)
            return null;
        int slot = read.Slot;
        List<Instruction> inside = storesTo.GetValueOrDefault(slot, []).Where(s => inner.Blocks.Contains(places[s].Block)).ToList();
        if (inside.Count != 1 || !IsIncrement(inside[0], slot))
            return null;
        int incrementBlock = places[inside[0]].Block;
        if (loop.Function.Blocks[incrementBlock].Terminator is not { Op: Opcode.Jump } back || back.Targets[0].Block.Index != inner.Header)
            return null;
        List<int> entries = loop.Cfg.Predecessors[inner.Header].Where(p => !inner.Blocks.Contains(p)).Distinct().ToList();
        if (entries.Count != 1 || !loop.Region.Contains(entries[0]))
            return null;
        Instruction? init = loop.Function.Blocks[entries[0]].Instructions.LastOrDefault(i => i.Op is Opcode.StoreSlot or Opcode.SlotAddress && i.Slot == slot);
        if (init is not { Op: Opcode.StoreSlot })
            return null;
        Affine? lo = Evaluate(init.Operands[0], []), bound = Evaluate(boundValue, []);
        return lo is { IsInvariant: true } && bound is { IsInvariant: true } ? new Counter(slot, inner, lo.Rest, bound.Rest, inside[0], incrementBlock) : null;
    }

    /// <summary>The comparison a branch tests: through <c>!= 0</c> and, in Debug IL, a local the header just stored it in.</summary>
    Instruction? Condition(ValueId value, IrBlock header)
    {
        for (int hops = 0; hops < 4 && loop.Definitions.TryGetValue(value, out Instruction? d); hops++)
        {
            if (d is { Op: Opcode.Compare, Condition: Ir.Condition.Ne } && loop.Definitions.TryGetValue(d.Operands[1], out Instruction? zero) && zero is { Op: Opcode.Const, Constant: 0 })
                value = d.Operands[0];
            else if (d.Op == Opcode.LoadSlot && header.Instructions.IndexOf(d) is int at and >= 0
                && header.Instructions.Take(at).LastOrDefault(i => i.Op is Opcode.StoreSlot or Opcode.SlotAddress && i.Slot == d.Slot) is { Op: Opcode.StoreSlot } stored)
                value = stored.Operands[0];
            else
                return d;
        }
        return null;
    }

    bool IsIncrement(Instruction store, int slot) =>
        store.Op == Opcode.StoreSlot && loop.Definitions.TryGetValue(store.Operands[0], out Instruction? add) && add.Op == Opcode.Add
        && add.Operands.Select(o => loop.Definitions.GetValueOrDefault(o)).ToList() is var parts
        && parts.Count(p => p is { Op: Opcode.LoadSlot } l && l.Slot == slot) == 1 && parts.Count(p => p is { Op: Opcode.Const, Constant: 1 }) == 1;

    // ---- affine forms -----------------------------------------------------------------------

    int AtomOf(AtomKind kind, int slot, Counter? counter = null)
    {
        int found = atoms.FindIndex(a => a.Kind == kind && a.Slot == slot && a.Loop == counter);
        if (found >= 0)
            return found;
        atoms.Add(new Atom(kind, slot, counter));
        return atoms.Count - 1;
    }

    bool WrittenInLoop(int slot) => storesTo.ContainsKey(slot);

    /// <summary>
    /// <paramref name="value"/> as an affine form, or null; <paramref name="visiting"/> guards the
    /// substitution of private variables. Remembered per value (SSA: one definition, one place), so
    /// that temporaries used many times are followed once.
    /// </summary>
    Affine? Evaluate(ValueId value, HashSet<int> visiting)
    {
        if (evaluated.TryGetValue(value, out var known))
        {
            blame ??= known.Blame;
            return known.Form;
        }
        string? outer = blame;
        blame = null;
        Affine? form;
        try
        {
            form = EvaluateUnchecked(value, visiting);
        }
        catch (OverflowException)
        {
            form = null; // a coefficient beyond long: nothing to prove with
        }
        evaluated[value] = (form, blame);
        blame = outer ?? blame;
        return form;
    }

    readonly Dictionary<ValueId, (Affine? Form, string? Blame)> evaluated = [];

    Affine? EvaluateUnchecked(ValueId value, HashSet<int> visiting)
    {
        if (!loop.Definitions.TryGetValue(value, out Instruction? d))
        {
            // A block parameter (a value pushed before a branch): one form if every jump passes the same.
            List<ValueId> sources = loop.Sources(value);
            if (sources.Count == 0 || sources.Contains(value))
                return null;
            Affine? first = Evaluate(sources[0], visiting);
            return first is not null && sources.Skip(1).All(s => Evaluate(s, visiting) is { } other && other.SameAs(first)) ? first : null;
        }
        if (loop.IsLoopValue(d))
            return new Affine([], Polynomial.Constant(1), Polynomial.Zero);
        switch (d.Op)
        {
            case Opcode.Const when d.Type == IrType.I32:
                return Affine.Of(Polynomial.Constant(d.Constant));
            case Opcode.LoadSlot when d.Type == IrType.I32:
                return Slot(d, visiting);
            case Opcode.ArrayLength when loop.Definitions.TryGetValue(d.Operands[0], out Instruction? array) && array.Op == Opcode.LoadSlot && !WrittenInLoop(array.Slot):
                return Affine.Of(Polynomial.Unknown(AtomOf(AtomKind.Length, array.Slot)));
            case Opcode.Convert when !d.Checked && d.TargetType == IrType.I64 && loop.Function.TypeOf(d.Operands[0]) == IrType.I32:
                return Evaluate(d.Operands[0], visiting); // sign-extended: the index is the 32-bit value's
            case Opcode.Add or Opcode.Sub or Opcode.Mul or Opcode.Shl or Opcode.Neg when d.Type == IrType.I32:
                {
                    Affine? a = Evaluate(d.Operands[0], visiting);
                    if (a is null)
                        return null;
                    if (d.Op == Opcode.Neg)
                        return a.Times(Polynomial.Constant(-1));
                    Affine? b = Evaluate(d.Operands[1], visiting);
                    if (b is null)
                        return null;
                    return d.Op switch
                    {
                        Opcode.Add => a + b,
                        Opcode.Sub => a + b.Times(Polynomial.Constant(-1)),
                        Opcode.Mul when b.IsInvariant => a.Times(b.Rest),
                        Opcode.Mul when a.IsInvariant => b.Times(a.Rest),
                        Opcode.Shl when b.IsInvariant && b.Rest.AsConstant is long k && k is >= 0 and < 31 => a.Times(Polynomial.Constant(1L << (int)k)),
                        Opcode.Mul => Blame(null, "a product of two loop variables"),
                        _ => Blame(null, "a shift by a variable amount"),
                    };
                }
            default:
                return Blame(null, d.Op switch
                {
                    Opcode.And or Opcode.Or or Opcode.Xor or Opcode.Not => "a bitwise operation",
                    Opcode.Div or Opcode.DivUn or Opcode.Rem or Opcode.RemUn => "a division or remainder",
                    Opcode.Shr or Opcode.ShrUn => "a right shift",
                    Opcode.LoadElement or Opcode.LoadIndirect => "a value read from an array",
                    Opcode.LoadField => "a field",
                    Opcode.Call or Opcode.MathCall => "a call's result",
                    Opcode.Convert => "a conversion",
                    _ => $"{d.Op}",
                });
        }
    }

    Affine? Blame(Affine? result, string why)
    {
        blame ??= why;
        return result;
    }

    /// <summary>A variable's read: the loop's value, a counter in range, an invariant, or what a private variable was assigned.</summary>
    Affine? Slot(Instruction read, HashSet<int> visiting)
    {
        int slot = read.Slot;
        if (loopSlots.Contains(slot))
            return new Affine([], Polynomial.Constant(1), Polynomial.Zero);
        if (!WrittenInLoop(slot))
            return Affine.Of(Polynomial.Unknown(AtomOf(AtomKind.Variable, slot)));
        if (counters.FirstOrDefault(c => c.Slot == slot && InRange(c, read)) is { } counter)
            return new Affine(new() { [counter] = Polynomial.Constant(1) }, Polynomial.Zero, Polynomial.Zero);
        // A private variable assigned once per iteration: any read sees that assignment's value, made in this iteration.
        if (storesTo[slot] is [{ Op: Opcode.StoreSlot } only] && visiting.Add(slot))
        {
            Affine? assigned = Evaluate(only.Operands[0], visiting);
            visiting.Remove(slot);
            return assigned;
        }
        string name = loop.Name(slot).Trim('\'');
        return Blame(null, counters.Any(c => c.Slot == slot)
            ? $"'{name}' read where it is not within its loop's bounds"
            : $"'{name}', which is neither loop-invariant, nor assigned once per iteration, nor the counter of an inner for ({name} = lo; {name} < bound; {name}++) loop with loop-invariant lo and bound");
    }

    /// <summary>Whether <paramref name="read"/> of counter <paramref name="c"/> happens in the body, before the increment: then <c>Lo ≤ j &lt; Bound</c>.</summary>
    bool InRange(Counter c, Instruction read)
    {
        if (!places.TryGetValue(read, out var at) || at.Block == c.Loop.Header || !c.Loop.Blocks.Contains(at.Block))
            return false;
        return at.Block != c.IncrementBlock || at.Position < places[c.Increment].Position;
    }

    // ---- the windows ------------------------------------------------------------------------

    List<Polynomial> CheckAll()
    {
        var groups = new Dictionary<int, List<Access>>(); // by the array's variable; -1: arrays of unknown identity
        foreach (int b in loop.Region.Order())
        {
            foreach (Instruction i in loop.Function.Blocks[b].Instructions)
            {
                if (Classify(i) is not (Instruction element, bool writes) || IsFresh(element.Operands[0]))
                    continue;
                int rank = loop.Function.TypeOf(element.Operands[0]).Rank;
                if (rank > 1)
                {
                    if (writes)
                        CheckOwnDimension(i, element, rank);
                    continue;
                }
                List<Instruction?> arrays = loop.Sources(element.Operands[0]).Select(v => loop.Definitions.GetValueOrDefault(v)).ToList();
                int key = arrays.All(a => a is { Op: Opcode.LoadSlot } && !WrittenInLoop(a.Slot)) && arrays.Select(a => a!.Slot).Distinct().Count() == 1 ? arrays[0]!.Slot : -1;
                if (key == -1 && !writes)
                    continue; // a read of an array of unknown identity: not related to anything
                blame = null;
                List<Affine?> indices = loop.Sources(element.Operands[1]).Select(v => Evaluate(v, [])).ToList();
                if (element.Result is { } address && vectorAccesses.TryGetValue(address, out int lanes))
                    indices = [.. indices.SelectMany(f => Enumerable.Range(0, lanes).Select(k => f is null ? null : f + Affine.Of(Polynomial.Constant(k))))]; // a vector covers its lanes' elements
                (groups.TryGetValue(key, out var list) ? list : groups[key] = []).Add(new Access(i, writes, b, indices, Text(element.Operands[1]), blame));
            }
        }
        var guards = new List<Polynomial>();
        foreach ((int key, List<Access> accesses) in groups)
        {
            if (accesses.Any(a => a.Writes))
                CheckGroup(key == -1 ? "an array" : loop.Name(key), accesses, guards);
        }
        return guards;
    }

    /// <summary>A multi-dimensional array is written at the loop's value itself in some dimension (<c>a[i, j]</c>), or refused.</summary>
    void CheckOwnDimension(Instruction at, Instruction element, int rank)
    {
        Affine own = new([], Polynomial.Constant(1), Polynomial.Zero);
        if (element.Operands.Skip(1).Take(rank).Any(index => loop.Sources(index).All(v => Evaluate(v, []) is { } form && form.SameAs(own))))
            return;
        string array = loop.Sources(element.Operands[0]).Select(v => loop.Definitions.GetValueOrDefault(v)).FirstOrDefault() is { Op: Opcode.LoadSlot } load ? loop.Name(load.Slot) : "an array";
        throw loop.Race(at, $"writing {array}[…] in a Prange loop at an index not shown to be the iteration's own",
            $"iterations may write the same element of {array}: a multi-dimensional array is written at the loop's variable in one dimension (a[{loopName}, j]); "
            + "else use Atomic.*, a private array, or Prange.Disjoint(…) if no two iterations ever write one element (your promise: it is not checked)");
    }

    /// <summary>Whether every array <paramref name="array"/> can be was made in this iteration (<c>new T[n]</c>, or a variable only ever assigned such).</summary>
    bool IsFresh(ValueId array) =>
        loop.Sources(array).All(v => loop.Definitions.GetValueOrDefault(v) is { } d
            && (d.Op == Opcode.NewArray || (d.Op == Opcode.LoadSlot && storesTo.TryGetValue(d.Slot, out var stores)
                && stores.All(s => s.Op == Opcode.StoreSlot && loop.Definitions.GetValueOrDefault(s.Operands[0]) is { Op: Opcode.NewArray }))));

    /// <summary>The element an instruction accesses and whether it writes it (a ref to it handed to a store or a call counts as a write); null for others.</summary>
    (Instruction, bool)? Classify(Instruction i)
    {
        switch (i.Op)
        {
            case Opcode.StoreElement:
                return (i, true);
            case Opcode.LoadElement:
                return (i, false);
            case Opcode.ElementAddress:
                return (i, handedOn.Contains(i.Result!.Value));
            default:
                return null;
        }
    }

    void CheckGroup(string array, List<Access> accesses, List<Polynomial> guards)
    {
        // The index of each access, as one or more affine forms.
        foreach (Access a in accesses.Where(a => a.Indices.Contains(null)))
        {
            throw Refuse(a, array, a.Writes
                ? $"its index {a.Text} is not an affine function of the loop's variable and inner loop counters with loop-invariant coefficients (it uses {a.Blame ?? "a value the analysis does not follow"})"
                : $"it reads {array}[{a.Text}], an element the analysis cannot tell apart from those other iterations write (the index uses {a.Blame ?? "a value the analysis does not follow"})");
        }
        var forms = accesses.SelectMany(a => a.Indices.Select(f => (Access: a, Form: f!))).ToList();
        (Access _, Affine reference) = forms[0];
        foreach ((Access a, Affine form) in forms.Where(f => !f.Form.Stride.Equals(reference.Stride)))
            throw Refuse(a, array, $"its index {a.Text} steps by {Show(form.Stride)} per iteration where another access of {array} steps by {Show(reference.Stride)}");

        // Facts: the inner loops around every access run at least once whenever any access runs.
        List<Counter> around = counters.Where(c => accesses.All(a => c.Loop.Blocks.Contains(a.Block) && a.Block != c.Loop.Header)).ToList();
        var substitutions = new List<(int Atom, Polynomial Value)>();
        foreach (Counter c in around)
        {
            // Bound = v + k with one invariant v: the loop runs only when v = w + lo + 1 - k, w ≥ 0.
            var linear = c.Bound.Terms.Where(t => t.Unknowns.Length > 0).ToList();
            if (linear is not [{ Unknowns: [int v], Coefficient: 1 }] || c.Lo.Mentions(v) || substitutions.Any(s => s.Atom == v))
                continue;
            long k = c.Bound.Terms.Where(t => t.Unknowns.Length == 0).Sum(t => t.Coefficient);
            int width = AtomOf(AtomKind.Width, c.Slot, c);
            substitutions.Add((v, Polynomial.Unknown(width) + c.Lo + Polynomial.Constant(1 - k)));
        }
        bool NonNegative(Polynomial p)
        {
            try
            {
                foreach ((int atom, Polynomial value) in substitutions)
                    p = p.Substitute(atom, value);
                return p.IsEvidentlyNonNegative(u => atoms[u].Kind == AtomKind.Width) || p.IsZero;
            }
            catch (OverflowException)
            {
                return false;
            }
        }

        Polynomial stride = reference.Stride;
        Polynomial one = Polynomial.Constant(1);
        Polynomial magnitude = NonNegative(stride - one) ? stride : NonNegative(-stride - one) ? -stride
            : throw Refuse(forms[0].Access, array, $"its index {forms[0].Access.Text} steps by {Show(stride)} per iteration, which the analysis cannot show is never 0 (each iteration's elements must lie {Show(stride)} apart)");

        // Each access's window [min, max] around S·i.
        var windows = new List<(Access Access, Polynomial Min, Polynomial Max)>();
        foreach ((Access a, Affine form) in forms)
        {
            Polynomial min = form.Rest, max = form.Rest;
            foreach ((Counter c, Polynomial coefficient) in form.Counters)
            {
                Polynomial lo = c.Lo, hi = c.Bound - one;
                if (NonNegative(coefficient))
                    (min, max) = (min + coefficient * lo, max + coefficient * hi);
                else if (NonNegative(-coefficient))
                    (min, max) = (min + coefficient * hi, max + coefficient * lo);
                else
                    throw Refuse(a, array, $"in its index {a.Text} the sign of {Show(coefficient)}, the coefficient of '{loop.Name(c.Slot).Trim('\'')}', is not known");
            }
            windows.Add((a, min, max));
        }
        var writes = windows.Where(w => w.Access.Writes).ToList();
        var lowest = writes.FirstOrDefault(w => writes.All(o => NonNegative(o.Min - w.Min)));
        var highest = writes.FirstOrDefault(w => writes.All(o => NonNegative(w.Max - o.Max)));
        if (lowest.Access is null || highest.Access is null)
            throw Refuse(writes[0].Access, array, $"the elements its writes reach per iteration ({string.Join(", ", writes.Select(w => $"[{Show(w.Min)}, {Show(w.Max)}]"))} from {Show(stride)}·{loopName}) cannot be ordered to bound them");
        if (!NonNegative(magnitude - one - (highest.Max - lowest.Min)))
            throw Refuse(highest.Access, array, $"one iteration writes {Elements(array, stride, lowest.Min, highest.Max)}, which may span more than the {Show(magnitude)} elements between iterations; "
                + "the analysis needs inner loop bounds that keep it within the stride (e.g. j < n with a stride of n)");
        foreach ((Access a, Polynomial min, Polynomial max) in windows.Where(w => !w.Access.Writes))
        {
            if (!NonNegative(min - lowest.Min) || !NonNegative(highest.Max - max))
                throw Refuse(a, array, $"it reads {array}[{a.Text}], which may be an element another iteration writes (this one writes {Elements(array, stride, lowest.Min, highest.Max)})");
        }
        if (magnitude.AsConstant != 1)
        {
            if (stride.Terms.Any(t => t.Unknowns.Any(u => atoms[u].Kind != AtomKind.Variable)))
                throw Refuse(forms[0].Access, array, $"its stride {Show(stride)} uses an array's length, which the parallel call cannot check for wrap-around before the loop; keep it in a variable");
            Polynomial bySlot = stride.Rename(u => atoms[u].Slot);
            if (!guards.Contains(bySlot))
                guards.Add(bySlot);
        }
    }

    /// <summary>The elements <c>S·i + [min, max]</c> as text: <c>'a'[i + 1]</c>, <c>'a'[n·i … n·i + n - 1]</c>.</summary>
    string Elements(string array, Polynomial stride, Polynomial min, Polynomial max)
    {
        string at = stride.AsConstant == 1 ? loopName : $"{Show(stride)}·{loopName}";
        string Offset(Polynomial p) => p.IsZero ? at : p.AsConstant is < 0 ? $"{at} - {Show(-p)}" : $"{at} + {Show(p)}";
        return min.Equals(max) ? $"{array}[{Offset(min)}]" : $"{array}[{Offset(min)} … {Offset(max)}]";
    }

    CompilationException Refuse(Access a, string array, string why) =>
        loop.Race(a.At, a.Writes ? $"writing {array}[…] in a Prange loop at an index not shown to be the iteration's own" : $"reading {array}[…] in a Prange loop that writes it",
            $"{why}; iterations may touch the same element of {array}. Alternatives: Atomic.* for shared updates, a private array per iteration, "
            + "or Prange.Disjoint(…) instead of Prange.Range(…) if no two iterations ever write one element (your promise: it is not checked)");

    string Show(Polynomial p) => p.ToString(u => atoms[u] switch
    {
        { Kind: AtomKind.Variable } a => loop.Name(a.Slot).Trim('\''),
        { Kind: AtomKind.Length } a => $"{loop.Name(a.Slot).Trim('\'')}.Length",
        { } a => $"width({loop.Name(a.Slot).Trim('\'')})",
    });

    /// <summary>An index as C#-like text: the variables by name, for messages.</summary>
    string Text(ValueId value, int depth = 0)
    {
        if (depth > 8 || !loop.Definitions.TryGetValue(value, out Instruction? d))
            return "…";
        if (loop.IsLoopValue(d) || (d.Op == Opcode.LoadSlot && loopSlots.Contains(d.Slot)))
            return loopName;
        return d.Op switch
        {
            Opcode.Const => d.Constant.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Opcode.LoadSlot => loop.Name(d.Slot).Trim('\''),
            Opcode.Add => $"{Text(d.Operands[0], depth + 1)} + {Text(d.Operands[1], depth + 1)}",
            Opcode.Sub => $"{Text(d.Operands[0], depth + 1)} - {Text(d.Operands[1], depth + 1)}",
            Opcode.Mul => $"{Group(d.Operands[0], depth)} * {Group(d.Operands[1], depth)}",
            Opcode.And => $"{Group(d.Operands[0], depth)} & {Group(d.Operands[1], depth)}",
            Opcode.Shl => $"{Group(d.Operands[0], depth)} << {Group(d.Operands[1], depth)}",
            Opcode.Shr => $"{Group(d.Operands[0], depth)} >> {Group(d.Operands[1], depth)}",
            Opcode.Div => $"{Group(d.Operands[0], depth)} / {Group(d.Operands[1], depth)}",
            Opcode.Rem => $"{Group(d.Operands[0], depth)} % {Group(d.Operands[1], depth)}",
            Opcode.ArrayLength => $"{Text(d.Operands[0], depth + 1)}.Length",
            Opcode.Convert => Text(d.Operands[0], depth + 1),
            Opcode.LoadElement => $"{Text(d.Operands[0], depth + 1)}[{Text(d.Operands[1], depth + 1)}]",
            _ => "…",
        };
    }

    string Group(ValueId value, int depth) =>
        loop.Definitions.TryGetValue(value, out Instruction? d) && d.Op is Opcode.Add or Opcode.Sub ? $"({Text(value, depth + 1)})" : Text(value, depth + 1);
}
