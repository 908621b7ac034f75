using System.Reflection;
using Targets.Frontend.Analysis;
using Targets.Frontend.Ir;

namespace Targets.Frontend.Passes;

/// <summary>
/// Outlines each outermost <see cref="Prange"/> loop of a function into a body function and a
/// dispatch function (<see cref="ParallelLoop"/>), and replaces the loop by one call of the
/// dispatch. Runs on the imported form, where variables are slots. Guarantees, for every loop it
/// outlines, that its iterations are independent as far as variables go:
/// <list type="bullet">
/// <item>a variable only read in the loop is captured by value;</item>
/// <item>a variable written in the loop is either private to each iteration (written before any
/// read in the iteration, and not read after the loop before being written again) or a
/// reduction (every read of it feeds one <c>+ - * &amp; | ^</c> or <c>Math.Min/Max</c> with it
/// whose result is stored straight back, all with one combining operation);</item>
/// <item>the array elements it writes (by <c>a[…] = </c> or through <c>ref a[…]</c>) and reads
/// belong to one iteration each, as <see cref="PrangeArrayWindows"/> proves (affine indices whose
/// per-iteration windows are disjoint; a stride it must check against wrap-around makes the call
/// run the body in order when it could wrap); not checked for a kernel launcher's loop (each work
/// item's writes are the kernel's to keep apart, as on a GPU) nor for a
/// <see cref="Prange.Disjoint(int)"/> loop (the user's promise).</item>
/// </list>
/// Anything else is a <see cref="CompilationErrorKind.Race"/> naming the variable and the line.
/// A loop left by <c>break</c>, <c>return</c> or <c>goto</c> is rejected too; one whose exit leads
/// only to a throw is not (the header's exit is never part of an iteration). Every loop stepping a
/// cursor is outlined, also where C# gives several loops one enumerator local. Prange loops nested
/// in an outlined loop run in order inside its body. Fields of jit class instances and calls are
/// not checked: they are the caller's to keep apart, as in Numba — but a collection (<c>List&lt;T&gt;</c>) the loop
/// changes must be each iteration's own (<see cref="Outliner.CheckSharedCollections"/>).
/// </summary>
public static class OutlineParallelLoops
{
    public static int Run(IrModule module, IrFunction f)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(f);
        if (f.PrangeCursors.Count == 0)
            return 0;
        var cfg = new ControlFlowGraph(f);
        List<NaturalLoop> loops = NaturalLoop.Find(cfg, new DominatorTree(cfg));
        var found = new List<(int Cursor, NaturalLoop Loop)>();
        foreach (int cursor in f.PrangeCursors.Keys.Order())
        {
            // Every loop stepping this cursor: C# may reuse one enumerator local for several loops.
            foreach (NaturalLoop loop in loops.Where(l => Stepping(f, l.Header, cursor) is not null))
                found.Add((cursor, loop));
        }
        int outlined = 0;
        // Outermost first; a Prange loop inside one already outlined runs in order in its body.
        foreach ((int cursor, NaturalLoop loop) in found.OrderByDescending(l => l.Loop.Blocks.Count))
        {
            if (found.Any(other => other.Loop != loop && other.Loop.Blocks.Count > loop.Blocks.Count && other.Loop.Blocks.Contains(loop.Header)))
                continue;
            new Outliner(module, f, cursor, loop, new ControlFlowGraph(f)).Run(outlined++); // the graph of f as the previous outlining left it
        }
        f.PrangeCursors.Clear();
        return outlined;
    }

    /// <summary>The store of the cursor's next value in a loop header (what <c>MoveNext</c> imports as), or null.</summary>
    static Instruction? Stepping(IrFunction f, int header, int cursor)
    {
        List<Instruction> instructions = f.Blocks[header].Instructions;
        return instructions.FirstOrDefault(i => i.Op == Opcode.StoreSlot && i.Slot == cursor
            && instructions.Any(add => add.Op == Opcode.Add && add.Result == i.Operands[0]));
    }

    sealed class Outliner(IrModule module, IrFunction f, int cursor, NaturalLoop loop, ControlFlowGraph cfg)
    {
        readonly int end = f.PrangeCursors[cursor].EndSlot;
        readonly SourceLocation location = Stepping(f, loop.Header, cursor)!.Location;
        bool Vouched => f.PrangeCursors[cursor].WritesVouched || f.DisjointPrangeLoops.Contains(location.IlOffset);
        readonly Dictionary<ValueId, Instruction> definitions = f.Blocks.SelectMany(b => b.Instructions).Where(i => i.Result is not null).ToDictionary(i => i.Result!.Value);
        readonly HashSet<int> outer = OuterHandlers(f, f.Blocks[loop.Header]);
        readonly HashSet<int> region = Region(f, loop, IterationSuccessors(f, cfg, OuterHandlers(f, f.Blocks[loop.Header])));
        List<IrBlock> blocks => [.. region.Order().Select(b => f.Blocks[b])];

        /// <summary>
        /// The dispatch blocks of the tries around the loop (the header's handler and the handlers around it): an
        /// exception a worker raises toward one of these leaves the body, and the caller's call of the loop meets it.
        /// </summary>
        static HashSet<int> OuterHandlers(IrFunction f, IrBlock header)
        {
            var handlers = new HashSet<int>();
            for (BlockId? h = header.Handler; h is { } dispatch && handlers.Add(dispatch.Index);)
                h = f.Blocks[dispatch.Index].Handler;
            return handlers;
        }

        /// <summary>Where control goes from a block within an iteration: its terminator's targets, and its handler unless that is a try around the loop.</summary>
        static Func<int, IEnumerable<int>> IterationSuccessors(IrFunction f, ControlFlowGraph cfg, HashSet<int> outer) => b =>
            cfg.Successors[b].Where(n => f.Blocks[b].Handler?.Index != n || !outer.Contains(n) || f.Blocks[b].Terminator!.Targets.Any(t => t.Block.Index == n));

        /// <summary>
        /// The loop's blocks and the blocks only its body reaches that end in a throw (a throw leaves
        /// the natural loop, which holds only blocks that get back to the header): all run per
        /// iteration, with the handlers of tries inside the body (a finally's copy on the exception's
        /// way out rethrows). The header's own way out is the loop's exit, never part of an iteration,
        /// even when all that follows the loop is a throw (<c>foreach (…) s += i; throw …;</c>).
        /// </summary>
        static HashSet<int> Region(IrFunction f, NaturalLoop loop, Func<int, IEnumerable<int>> successors)
        {
            var region = new HashSet<int>(loop.Blocks);
            for (bool grew = true; grew;)
            {
                grew = false;
                foreach (int b in region.ToList())
                {
                    if (b == loop.Header)
                        continue;
                    foreach (int next in successors(b).Where(n => !region.Contains(n) && ThrowsOnly(f, successors, n, region, [])))
                        grew |= region.Add(next);
                }
            }
            return region;
        }

        /// <summary>Whether every path from <paramref name="b"/> ends in a raise without entering <paramref name="region"/>.</summary>
        static bool ThrowsOnly(IrFunction f, Func<int, IEnumerable<int>> successors, int b, HashSet<int> region, HashSet<int> seen)
        {
            if (!seen.Add(b))
                return true;
            Instruction? end = f.Blocks[b].Terminator;
            if (end is null || end.Op == Opcode.Return)
                return false;
            return end.Op is Opcode.Raise or Opcode.Rethrow || successors(b).All(n => !region.Contains(n) && ThrowsOnly(f, successors, n, region, seen));
        }

        bool IsControl(int slot) => slot == cursor || slot == end || slot == end + 1;

        string Name(int slot) => f.SlotNames.TryGetValue(slot, out string? name) ? $"'{name}'" : $"a variable (slot {slot})";

        CompilationException Race(Instruction at, string construct, string detail) =>
            new(CompilationErrorKind.Race, MethodName, construct, at.Location.IlOffset, at.Location.File, at.Location.Line, detail);

        string MethodName => f.DisplayName;

        public void Run(int ordinal)
        {
            IrBlock header = f.Blocks[loop.Header];
            int exit = CheckExits(header);
            (List<int> captures, List<(int Slot, Reduction Reduction)> reductions) = ClassifySlots(exit);
            CheckSharedCollections(captures);
            List<Polynomial> strides = Vouched ? [] : CheckArrayWrites();

            int bodyIndex = module.Functions.Count;
            module.Functions.Add(Body(ordinal, captures, reductions));
            var dispatch = Dispatch(ordinal, bodyIndex, captures, reductions);
            module.Functions.Add(dispatch);
            Replace(header, bodyIndex, module.Functions.Count - 1, captures, reductions, exit, strides);
        }

        /// <summary>The header's exit: the only way out of the loop.</summary>
        int CheckExits(IrBlock header)
        {
            if (header.Parameters.Count > 0)
                throw new InvalidOperationException($"{f.Name}: a Prange loop header with block parameters");
            int exit = -1;
            foreach (IrBlock block in blocks)
            {
                Instruction end = block.Terminator!;
                if (block.Handler is { } handler && !region.Contains(handler.Index) && !outer.Contains(handler.Index))
                    throw Race(block.Instructions[0], "a catch in a Prange loop that leaves the loop ('break', 'return' or 'goto')",
                        "the iterations run in parallel: every one runs; none can stop the others or end the method");
                if (end.Op == Opcode.Return)
                    throw Race(end, "'return' inside a Prange loop", "the iterations run in parallel: none can end the method; compute a result per iteration instead");
                foreach (BlockTarget target in end.Targets.Where(t => !region.Contains(t.Block.Index)))
                {
                    if (block != header)
                        throw Race(end, "'break', 'return' or 'goto' out of a Prange loop", "the iterations run in parallel: every one runs; none can stop the others or end the method");
                    exit = target.Block.Index;
                }
            }
            return exit >= 0 ? exit : throw new InvalidOperationException($"{f.Name}: a Prange loop without an exit");
        }

        /// <summary>Captured slots (read only) and reductions; every other written slot is private.</summary>
        (List<int>, List<(int, Reduction)>) ClassifySlots(int exit)
        {
            (HashSet<int> exposed, Dictionary<int, Instruction> firstExposed) = UpwardExposed();
            var written = new Dictionary<int, Instruction>();
            HashSet<Instruction> body = [.. blocks.SelectMany(b => b.Instructions)];
            foreach (Instruction i in blocks.SelectMany(b => b.Instructions))
            {
                // A struct's address taken only to read it (a field, a readonly member's 'this') is a read.
                if (i.Op is Opcode.StoreSlot or Opcode.SlotAddress && !IsControl(i.Slot) && !(i.Op == Opcode.SlotAddress && OnlyRead(i.Result!.Value, body)))
                    written.TryAdd(i.Slot, i);
            }
            var captures = exposed.Where(s => !written.ContainsKey(s)).Order().ToList();
            var reductions = new List<(int, Reduction)>();
            foreach ((int slot, Instruction store) in written.OrderBy(w => w.Key))
            {
                if (exposed.Contains(slot))
                    reductions.Add((slot, ReductionOf(slot, firstExposed[slot])));
                else if (LiveAt(exit, slot))
                    throw Race(store, $"assigning {Name(slot)} in a Prange loop", $"{Name(slot)} is read after the loop, but which iteration wrote it last is not defined when they run in parallel; write a reduction (+=, *=, Math.Min…) or an array element per iteration");
            }
            return (captures, reductions);
        }

        /// <summary>
        /// Whether every use of <paramref name="address"/> in the loop only reads through it: a load,
        /// the address of a field of it (read only in turn), or <c>this</c> of a struct's readonly member
        /// (<c>readonly</c> method or <c>readonly struct</c>: C#'s promise that it writes nothing through it).
        /// </summary>
        bool OnlyRead(ValueId address, HashSet<Instruction> body)
        {
            foreach (Instruction user in body)
            {
                for (int n = 0; n < user.Operands.Length; n++)
                {
                    if (user.Operands[n] != address)
                        continue;
                    bool read = user.Op switch
                    {
                        Opcode.LoadIndirect => true,
                        Opcode.MemberAddress => OnlyRead(user.Result!.Value, body),
                        Opcode.Call => n == 0 && module.Functions[user.Callee].Method is { IsStatic: false } member && IsReadOnlyMember(member),
                        _ => false,
                    };
                    if (!read)
                        return false;
                }
                if (user.Targets.Any(t => t.Arguments.Contains(address)))
                    return false;
            }
            return true;
        }

        static bool IsReadOnlyMember(System.Reflection.MethodBase member) =>
            member.IsDefined(typeof(System.Runtime.CompilerServices.IsReadOnlyAttribute), false)
            || member.DeclaringType!.IsDefined(typeof(System.Runtime.CompilerServices.IsReadOnlyAttribute), false);

        /// <summary>Slots read in an iteration before the iteration writes them (a byref taken counts as a read).</summary>
        (HashSet<int>, Dictionary<int, Instruction>) UpwardExposed()
        {
            var defined = new Dictionary<int, HashSet<int>?>(); // block → slots written on every path from the header; null: not reached yet
            foreach (int b in region)
                defined[b] = null;
            defined[loop.Header] = [];
            var exposed = new HashSet<int>();
            var first = new Dictionary<int, Instruction>();
            List<int> order = cfg.ReversePostorder().Where(region.Contains).ToList();
            for (bool changed = true; changed;)
            {
                changed = false;
                foreach (int b in order)
                {
                    HashSet<int>? into = b == loop.Header ? [] : null;
                    foreach (int p in cfg.Predecessors[b].Where(p => region.Contains(p) && b != loop.Header))
                    {
                        if (defined[p] is not { } d)
                            continue;
                        HashSet<int> outOfP = Out(p, d, null, null);
                        if (into is null)
                            into = [.. outOfP];
                        else
                            into.IntersectWith(outOfP);
                    }
                    if (into is null || (defined[b] is { } old && old.SetEquals(into)))
                        continue;
                    defined[b] = into;
                    changed = true;
                }
            }
            foreach (int b in order)
            {
                if (defined[b] is { } d)
                    Out(b, d, exposed, first);
            }
            return (exposed, first);
        }

        HashSet<int> Out(int block, HashSet<int> into, HashSet<int>? exposed, Dictionary<int, Instruction>? first)
        {
            var set = new HashSet<int>(into);
            List<Instruction> list = f.Blocks[block].Instructions;
            for (int n = 0; n < list.Count; n++)
            {
                Instruction i = list[n];
                bool whole = i.Op == Opcode.SlotAddress && AssignsWhole(list, n);
                if (i.Op is Opcode.LoadSlot or Opcode.SlotAddress && !whole && !IsControl(i.Slot) && !set.Contains(i.Slot) && exposed is not null)
                {
                    exposed.Add(i.Slot);
                    first!.TryAdd(i.Slot, i);
                }
                if (i.Op == Opcode.StoreSlot || whole)
                    set.Add(i.Slot);
            }
            return set;
        }

        /// <summary>
        /// Whether the slot address <c>list[n]</c> makes is first used to store a whole value of the
        /// slot's type through it (C#'s <c>initobj</c> of a struct local, what an object initializer
        /// <c>new S { … }</c> starts with) or to run the struct's constructor on it (<c>var v = new
        /// S(…)</c> into a local: a C# struct constructor assigns every field, reading none before
        /// it does), or to pass it as an <c>out</c> argument: an assignment of the variable, not a read of it.
        /// </summary>
        bool AssignsWhole(List<Instruction> list, int n)
        {
            ValueId address = list[n].Result!.Value;
            IrType type = f.Slots[list[n].Slot];
            for (int k = n + 1; k < list.Count; k++)
            {
                if (!list[k].Reads(address))
                    continue;
                return list[k] switch
                {
                    { Op: Opcode.StoreIndirect } store => store.Operands[0] == address && store.Operands[1] != address && store.TargetType == type,
                    { Op: Opcode.Call } call when call.Operands.Count(o => o == address) == 1 && PassedAsOut(call, address) => true,
                    { Op: Opcode.Call } call => call.Operands[0] == address && call.Operands.Count(o => o == address) == 1
                        && module.Functions[call.Callee].Method is System.Reflection.ConstructorInfo { DeclaringType.IsValueType: true } constructor
                        && module.Types.Map(constructor.DeclaringType!) == type,
                    _ => false,
                };
            }
            return false;
        }

        /// <summary>Whether <paramref name="call"/> passes <paramref name="address"/> as an <c>out</c> argument (C#'s callee assigns it before any read).</summary>
        bool PassedAsOut(Instruction call, ValueId address)
        {
            if (module.Functions[call.Callee].Method is not { } callee)
                return false;
            System.Reflection.ParameterInfo[] parameters = callee.GetParameters();
            int first = callee.IsStatic ? 0 : 1;
            int at = Array.IndexOf(call.Operands, address) - first;
            return at >= 0 && at < parameters.Length && parameters[at].IsOut;
        }

        /// <summary>Whether <paramref name="slot"/> may be read after <paramref name="from"/> before it is written (the loop itself excluded).</summary>
        bool LiveAt(int from, int slot)
        {
            var seen = new HashSet<int>();
            var work = new Stack<int>([from]);
            while (work.Count > 0)
            {
                int b = work.Pop();
                if (!seen.Add(b) || region.Contains(b))
                    continue;
                bool killed = false;
                foreach (Instruction i in f.Blocks[b].Instructions)
                {
                    if (i.Op is Opcode.LoadSlot or Opcode.SlotAddress && i.Slot == slot)
                        return true;
                    if (i.Op == Opcode.StoreSlot && i.Slot == slot)
                    {
                        killed = true;
                        break;
                    }
                }
                if (!killed)
                    foreach (int s in cfg.Successors[b])
                        work.Push(s);
            }
            return false;
        }

        /// <summary>The reduction <paramref name="slot"/> is, or a race error at <paramref name="read"/>.</summary>
        Reduction ReductionOf(int slot, Instruction read)
        {
            IrType type = f.Slots[slot];
            string why = $"{Name(slot)} is read and written by every iteration";
            if (read.Op == Opcode.SlotAddress)
                throw Race(read, $"passing {Name(slot)} by ref inside a Prange loop", why + " through a ref; use a reduction or a per-iteration array element");
            if (type.Kind is not (IrTypeKind.I32 or IrTypeKind.U32 or IrTypeKind.I64 or IrTypeKind.U64 or IrTypeKind.F32 or IrTypeKind.F64))
                throw Race(read, $"a reduction into {Name(slot)} of type {type}", "reductions are of int, uint, long, ulong, float or double variables");
            List<Instruction> body = blocks.SelectMany(b => b.Instructions).ToList();
            var uses = new Dictionary<ValueId, List<(Instruction User, int Forwarded)>>(); // Forwarded: the block parameter a jump passes it to, or -1
            var parameters = new Dictionary<ValueId, (int Block, int Index)>();
            foreach (IrBlock block in blocks)
            {
                for (int p = 0; p < block.Parameters.Count; p++)
                    parameters[block.Parameters[p]] = (block.Id.Index, p);
            }
            foreach (Instruction i in body)
            {
                foreach (ValueId v in i.Operands)
                    (uses.TryGetValue(v, out var list) ? list : uses[v] = []).Add((i, -1));
                foreach (BlockTarget t in i.Targets)
                {
                    for (int k = 0; k < t.Arguments.Length; k++)
                        (uses.TryGetValue(t.Arguments[k], out var list) ? list : uses[t.Arguments[k]] = []).Add((i, f.Blocks[t.Block.Index].Parameters[k].Index));
                }
            }
            // The variable's values: its loads, and block parameters every jump fills with one of them (c ? s + 1 : s - 1 keeps s on the stack).
            var origin = body.Where(i => i.Op == Opcode.LoadSlot && i.Slot == slot).Select(i => i.Result!.Value).ToHashSet();
            for (bool grew = true; grew;)
            {
                grew = false;
                foreach (IrBlock block in blocks)
                {
                    foreach (ValueId p in block.Parameters.Where(p => !origin.Contains(p)))
                    {
                        List<ValueId> incoming = body.SelectMany(i => i.Targets.Where(t => t.Block == block.Id).Select(t => t.Arguments[block.Parameters.IndexOf(p)])).ToList();
                        if (incoming.Count > 0 && incoming.All(origin.Contains))
                            grew |= origin.Add(p);
                    }
                }
            }
            ReductionOp? kind = null;
            string form = $"every use of {Name(slot)} in the loop must be one '{Name(slot)} op= e' (+, -, *, &, |, ^) or '{Name(slot)} = Math.Min/Max({Name(slot)}, e)', all with one operation";
            var ops = new HashSet<Instruction>();
            foreach (ValueId value in origin)
            {
                foreach ((Instruction op, int forwarded) in uses.GetValueOrDefault(value) ?? [])
                {
                    if (forwarded >= 0 && origin.Contains(new ValueId(forwarded)))
                        continue;
                    ReductionOp? this_ = forwarded >= 0 ? null : op.Op switch
                    {
                        Opcode.Add => ReductionOp.Add,
                        Opcode.Sub when op.Operands[0] == value => ReductionOp.Add,
                        Opcode.Mul => ReductionOp.Mul,
                        Opcode.And => ReductionOp.And,
                        Opcode.Or => ReductionOp.Or,
                        Opcode.Xor => ReductionOp.Xor,
                        Opcode.MathCall when op.Math == MathFunction.Min => ReductionOp.Min,
                        Opcode.MathCall when op.Math == MathFunction.Max => ReductionOp.Max,
                        _ => null,
                    };
                    if (this_ is null && op.Op is Opcode.AddOvf or Opcode.AddOvfUn or Opcode.SubOvf or Opcode.SubOvfUn or Opcode.MulOvf or Opcode.MulOvfUn)
                        throw Race(op, $"a checked reduction into {Name(slot)}", "whether a checked sum overflows depends on the order of its terms, which differs across chunks; reduce in unchecked code");
                    if (this_ is null)
                        throw Race(op, $"reading {Name(slot)} in a Prange loop that also writes it", why + "; " + form);
                    bool selfOnly = op.Operands.Count(origin.Contains) == 1;
                    bool storedBack = op.Result is { } r && uses.TryGetValue(r, out var after) && after.Count == 1 && after[0].User.Op == Opcode.StoreSlot && after[0].User.Slot == slot;
                    if (!selfOnly || !storedBack || (kind is not null && kind != this_))
                        throw Race(op, $"updating {Name(slot)} in a Prange loop", why + "; " + form);
                    kind = this_;
                    ops.Add(op);
                }
            }
            foreach (Instruction store in body.Where(i => i.Op == Opcode.StoreSlot && i.Slot == slot))
            {
                if (!definitions.TryGetValue(store.Operands[0], out Instruction? value) || !ops.Contains(value))
                    throw Race(store, $"assigning {Name(slot)} in a Prange loop", why + "; " + form);
            }
            return new Reduction(kind ?? throw Race(read, $"reading {Name(slot)} in a Prange loop that also writes it", why + "; " + form), type);
        }

        /// <summary>
        /// A collection (<c>List&lt;T&gt;</c>) changed in the loop must be the iteration's own: one a captured variable
        /// holds, or one read from a field or an array element, would be changed by every iteration at once (its
        /// elements reallocated under another core's feet), which is refused as a race. Reading a shared list is fine.
        /// </summary>
        void CheckSharedCollections(List<int> captures)
        {
            foreach (Instruction i in blocks.SelectMany(b => b.Instructions).Where(i => i.Op == Opcode.Call && i.Operands.Length > 0))
            {
                if (module.Functions[i.Callee].Method is not MethodInfo { DeclaringType: { } owner } member || !Il.Collections.CollectionTypes.Changes(member))
                    continue;
                Instruction? receiver = definitions.GetValueOrDefault(i.Operands[0]);
                bool own = receiver is { Op: Opcode.NewInstance } || receiver is { Op: Opcode.LoadSlot } read && !captures.Contains(read.Slot);
                if (own)
                    continue;
                string list = receiver is { Op: Opcode.LoadSlot } variable ? $"the {Il.Collections.CollectionTypes.DotnetName(owner)} {Name(variable.Slot)}"
                    : $"a {Il.Collections.CollectionTypes.DotnetName(owner)} read from a field or an array element";
                throw Race(i, $"changing {list} in a Prange loop ({Il.Collections.CollectionTypes.MemberName(member)})",
                    "every iteration would change one collection at the same time; make the collection inside the loop (one per iteration), or write an array element per iteration and build the collection after the loop");
            }
        }

        /// <summary>
        /// Array elements written in the loop belong to one iteration (<see cref="PrangeArrayWindows"/>,
        /// which returns the strides to check before the parallel call); a ref written through is an
        /// element's or a classified variable's.
        /// </summary>
        List<Polynomial> CheckArrayWrites()
        {
            foreach (Instruction i in blocks.SelectMany(b => b.Instructions).Where(i => i.Op == Opcode.StoreIndirect))
            {
                if (StartsAtElementOrSlot(i.Operands[0], []))
                    continue; // (a field of) an element's address (checked with the array's accesses), or a slot's (its slot was classified above)
                throw Race(i, "writing through a ref inside a Prange loop", "every iteration would write the same variable");
            }
            return PrangeArrayWindows.Check(new PrangeArrayWindows.Loop(f, region, loop.Header, cfg, definitions, d => IsLoopValue(d, []), Sources, Name, Race));
        }

        /// <summary>
        /// Whether every address <paramref name="address"/> can be (through block parameters, and the
        /// fields of structs: <c>member_address</c>) is taken from an array element or a slot.
        /// </summary>
        bool StartsAtElementOrSlot(ValueId address, HashSet<ValueId> seen)
        {
            foreach (ValueId v in Sources(address))
            {
                if (!seen.Add(v))
                    continue;
                if (!definitions.TryGetValue(v, out Instruction? made))
                    return false;
                if (made.Op == Opcode.MemberAddress ? !StartsAtElementOrSlot(made.Operands[0], seen) : made.Op is not (Opcode.ElementAddress or Opcode.SlotAddress))
                    return false;
            }
            return true;
        }

        /// <summary>The values <paramref name="value"/> can be: itself, or for a block parameter of the loop, every argument jumps pass it.</summary>
        List<ValueId> Sources(ValueId value)
        {
            var found = new List<ValueId>();
            var seen = new HashSet<ValueId>();
            var work = new Stack<ValueId>([value]);
            while (work.Count > 0)
            {
                ValueId v = work.Pop();
                if (!seen.Add(v))
                    continue;
                IrBlock? owner = blocks.FirstOrDefault(b => b.Parameters.Contains(v));
                if (owner is null)
                {
                    found.Add(v);
                    continue;
                }
                int position = owner.Parameters.IndexOf(v);
                foreach (BlockTarget t in blocks.Select(b => b.Terminator).OfType<Instruction>().SelectMany(t => t.Targets).Where(t => t.Block == owner.Id))
                    work.Push(t.Arguments[position]);
            }
            return found;
        }

        /// <summary>The loop's value: <c>(int)cursor</c>, as <c>Current</c> gives it.</summary>
        bool IsLoopValue(Instruction i, HashSet<Instruction> seen) =>
            seen.Add(i) && i.Op switch
            {
                Opcode.LoadSlot => i.Slot == cursor,
                Opcode.Convert => definitions.TryGetValue(i.Operands[0], out Instruction? d) && IsLoopValue(d, seen),
                _ => false,
            };

        // ---- building ---------------------------------------------------------------------

        IrType RefTo(Reduction r) => module.Types.ByRefTo(r.Type);

        IrFunction Body(int ordinal, List<int> captures, List<(int Slot, Reduction Reduction)> reductions)
        {
            List<IrType> parameters = [IrType.I64, IrType.I64, IrType.I64, IrType.I64, .. captures.Select(s => f.Slots[s]), .. reductions.Select(r => RefTo(r.Reduction))];
            var body = new IrFunction($"{f.Name}.prange{ordinal}", IrType.Void, parameters) { Method = f.Method };
            body.Slots.AddRange(parameters);
            int offset = body.Slots.Count;
            body.Slots.AddRange(f.Slots);
            var slotOf = new Dictionary<int, int>();
            for (int s = 0; s < f.Slots.Count; s++)
                slotOf[s] = offset + s;
            for (int c = 0; c < captures.Count; c++)
                slotOf[captures[c]] = 4 + c;
            foreach ((int s, string name) in f.SlotNames)
                body.SlotNames[slotOf[s]] = name;

            IrBlock entry = body.NewBlock(0);
            var blockOf = blocks.ToDictionary(b => b.Id.Index, b => body.NewBlock(b.IlOffset));
            IrBlock done = body.NewBlock(0);
            var w = new BlockWriter(body, entry, location);
            w.StoreParameters();
            for (int s = 0; s < f.Slots.Count; s++)
            {
                if (!captures.Contains(s))
                    w.StoreSlot(offset + s, Zero(w, f.Slots[s]));
            }
            foreach ((int slot, Reduction r) in reductions)
                w.StoreSlot(offset + slot, Identity(w, r));
            // Iterations first … last-1 have values start + k·step: the cursor starts one step before.
            // A constant unit step stays a constant, so CountPrangeLoops can make the body a counted loop.
            ValueId first = w.LoadSlot(0), last = w.LoadSlot(1), start = w.LoadSlot(2);
            ValueId step = CountPrangeLoops.HasUnitStep(f, end + 1) ? w.Const(IrType.I64, 1) : w.LoadSlot(3);
            ValueId from = w.Append(Opcode.Add, IrType.I64, [start, w.Append(Opcode.Mul, IrType.I64, [first, step])]);
            w.StoreSlot(offset + cursor, w.Append(Opcode.Sub, IrType.I64, [from, step]));
            w.StoreSlot(offset + end, w.Append(Opcode.Add, IrType.I64, [start, w.Append(Opcode.Mul, IrType.I64, [last, step])]));
            w.StoreSlot(offset + end + 1, step);
            w.Jump(blockOf[loop.Header].Id);
            // This loop, and Prange loops nested in it (which run in order), stay recognisable in the body.
            foreach ((int c, (int e, SourceLocation at, bool k)) in f.PrangeCursors.Where(p => p.Key == cursor || region.Contains(HeaderOf(p.Key))))
                body.PrangeCursors[offset + c] = (offset + e, at, k);
            body.DisjointPrangeLoops.UnionWith(f.DisjointPrangeLoops);

            var values = new Dictionary<ValueId, ValueId>();
            ValueId Map(ValueId v)
            {
                if (!values.TryGetValue(v, out ValueId mapped))
                {
                    if (!definitions.ContainsKey(v) && !blocks.Any(b => b.Parameters.Contains(v)))
                        throw new InvalidOperationException($"{f.Name}: a Prange loop uses a value defined before it");
                    values[v] = mapped = body.NewValue(f.TypeOf(v));
                }
                return mapped;
            }
            BlockTarget Retarget(BlockTarget t) =>
                new(blockOf.TryGetValue(t.Block.Index, out IrBlock? b) ? b.Id : done.Id, t.Arguments.Select(Map).ToArray());
            foreach (IrBlock block in blocks)
            {
                IrBlock copy = blockOf[block.Id.Index];
                copy.Parameters.AddRange(block.Parameters.Select(Map));
                // A try inside the body catches in the worker; toward a try around the loop the exception leaves the body.
                copy.Handler = block.Handler is { } handler && blockOf.TryGetValue(handler.Index, out IrBlock? inner) ? inner.Id : null;
                foreach (Instruction i in block.Instructions)
                {
                    Instruction c = i.Copy(i.Result is { } r ? Map(r) : null, i.MapOperands(Map), i.Targets.Select(Retarget).ToArray(), i.BoundsChecked);
                    copy.Instructions.Add(i.Op is Opcode.LoadSlot or Opcode.StoreSlot or Opcode.SlotAddress ? Reslot(c, slotOf[i.Slot]) : c);
                }
            }

            w = new BlockWriter(body, done, location);
            for (int n = 0; n < reductions.Count; n++)
            {
                (int slot, Reduction r) = reductions[n];
                ValueId cell = w.LoadSlot(4 + captures.Count + n);
                ValueId old = w.Append(Opcode.LoadIndirect, r.Type.StackType, [cell], i => With(i, r.Type));
                ValueId combined = Combine(w, r, old, w.LoadSlot(offset + slot));
                w.Append(Opcode.StoreIndirect, IrType.Void, [cell, combined], i => With(i, r.Type));
            }
            w.Return();
            return body;
        }

        /// <summary>The block holding the stepping of the Prange cursor <paramref name="slot"/> (its loop's header), or -1.</summary>
        int HeaderOf(int slot) => f.Blocks.FindIndex(b => b.Instructions.Any(i => i.Op == Opcode.StoreSlot && i.Slot == slot && f.Blocks.IndexOf(b) != 0 && definitions.TryGetValue(i.Operands[0], out Instruction? d) && d.Op == Opcode.Add));

        static Instruction With(Instruction i, IrType element) => new(i.Op, i.Type, i.Result, i.Operands, i.Location) { TargetType = element };

        static Instruction Reslot(Instruction i, int slot) =>
            new(i.Op, i.Type, i.Result, i.Operands, i.Location) { Slot = slot, BoundsChecked = i.BoundsChecked };

        static ValueId Combine(BlockWriter w, Reduction r, ValueId a, ValueId b) => r.Op switch
        {
            ReductionOp.Add => w.Append(Opcode.Add, r.Type.StackType, [a, b]),
            ReductionOp.Mul => w.Append(Opcode.Mul, r.Type.StackType, [a, b]),
            ReductionOp.And => w.Append(Opcode.And, r.Type.StackType, [a, b]),
            ReductionOp.Or => w.Append(Opcode.Or, r.Type.StackType, [a, b]),
            ReductionOp.Xor => w.Append(Opcode.Xor, r.Type.StackType, [a, b]),
            ReductionOp.Min or ReductionOp.Max => w.Append(Opcode.MathCall, r.Type.StackType, [a, b],
                i => new Instruction(i.Op, i.Type, i.Result, i.Operands, i.Location) { Math = r.Op == ReductionOp.Min ? MathFunction.Min : MathFunction.Max, TargetType = r.Type }),
            _ => throw new InvalidOperationException($"no combination for {r.Op}"),
        };

        static ValueId Identity(BlockWriter w, Reduction r)
        {
            (long integer, double real) = r.Identity;
            return r.Type.IsFloat
                ? w.Append(Opcode.Const, r.Type, [], i => new Instruction(i.Op, i.Type, i.Result, i.Operands, i.Location) { FloatConstant = real })
                : w.Const(r.Type.StackType, integer);
        }

        static ValueId RealConstant(BlockWriter w, double value) =>
            w.Append(Opcode.Const, IrType.F64, [], i => new Instruction(i.Op, i.Type, i.Result, i.Operands, i.Location) { FloatConstant = value });

        static ValueId Real(BlockWriter w, ValueId integer) => w.Convert(integer, IrType.F64);

        /// <summary><paramref name="p"/> at this point, in doubles: its unknowns are slots of variables the loop only reads.</summary>
        static ValueId Evaluate(BlockWriter w, Polynomial p)
        {
            ValueId sum = RealConstant(w, 0);
            foreach ((int[] unknowns, long coefficient) in p.Terms)
            {
                ValueId term = RealConstant(w, coefficient);
                foreach (int u in unknowns)
                    term = w.Append(Opcode.Mul, IrType.F64, [term, Real(w, w.LoadSlot(u))]);
                sum = w.Append(Opcode.Add, IrType.F64, [sum, term]);
            }
            return sum;
        }

        static ValueId Zero(BlockWriter w, IrType type) => type.StackType.Kind switch
        {
            IrTypeKind.F32 or IrTypeKind.F64 => w.Append(Opcode.Const, type.StackType, [], i => new Instruction(i.Op, i.Type, i.Result, i.Operands, i.Location) { FloatConstant = 0 }),
            IrTypeKind.Array or IrTypeKind.ByRef or IrTypeKind.Null or IrTypeKind.Instance => w.Null(),
            _ => w.Const(type.StackType, 0),
        };

        IrFunction Dispatch(int ordinal, int body, List<int> captures, List<(int Slot, Reduction Reduction)> reductions)
        {
            List<IrType> parameters = [IrType.I64, IrType.I64, IrType.I64, .. captures.Select(s => f.Slots[s]), .. reductions.Select(r => RefTo(r.Reduction))];
            var dispatch = new IrFunction($"{f.Name}.prange{ordinal}.dispatch", IrType.Void, parameters)
            {
                Method = f.Method,
                ParallelLoop = new ParallelLoop(body, captures.Count, reductions.Select(r => r.Reduction).ToList(), location),
            };
            dispatch.Slots.AddRange(parameters);
            IrBlock entry = dispatch.NewBlock(0);
            var w = new BlockWriter(dispatch, entry, location);
            w.StoreParameters();
            ValueId[] arguments = [w.Const(IrType.I64, 0), .. Enumerable.Range(0, parameters.Count).Select(w.LoadSlot)];
            w.Append(Opcode.Call, IrType.Void, arguments, i => { i.Callee = body; return i; });
            w.Return();
            return dispatch;
        }

        /// <summary>
        /// The loop's entries now go to one call of the dispatch, then to the exit. Where the array
        /// check left strides to check (<see cref="PrangeArrayWindows"/>), the dispatch is called only
        /// when each one, times the span of the loop's values, fits in 2³² (no two iterations' windows
        /// meet modulo 2³²); otherwise the body runs over the whole range on this thread.
        /// </summary>
        void Replace(IrBlock header, int body, int dispatch, List<int> captures, List<(int Slot, Reduction Reduction)> reductions, int exit,
            List<Polynomial> strides)
        {
            IrBlock call = f.NewBlock(header.IlOffset);
            call.Handler = header.Handler; // what a worker raised arrives here, in the try around the loop
            var w = new BlockWriter(f, call, location);
            ValueId before = w.LoadSlot(cursor), limit = w.LoadSlot(end), step = w.LoadSlot(end + 1);
            ValueId start = w.Append(Opcode.Add, IrType.I64, [before, step]);
            // count = max(0, ceil(span / |step|)), span measured in the step's direction.
            ValueId up = w.Convert(w.Compare(Condition.GtS, step, w.Const(IrType.I64, 0)), IrType.I64);
            ValueId sign = w.Append(Opcode.Sub, IrType.I64, [w.Append(Opcode.Add, IrType.I64, [up, up]), w.Const(IrType.I64, 1)]);
            ValueId span = w.Append(Opcode.Mul, IrType.I64, [w.Append(Opcode.Sub, IrType.I64, [limit, start]), sign]);
            ValueId magnitude = w.Append(Opcode.Mul, IrType.I64, [step, sign]);
            ValueId rounded = w.Append(Opcode.Div, IrType.I64, [w.Append(Opcode.Sub, IrType.I64, [w.Append(Opcode.Add, IrType.I64, [span, magnitude]), w.Const(IrType.I64, 1)]), magnitude]);
            ValueId positive = w.Convert(w.Compare(Condition.GtS, span, w.Const(IrType.I64, 0)), IrType.I64);
            ValueId count = w.Append(Opcode.Mul, IrType.I64, [rounded, positive]);
            ValueId[] arguments = [count, start, step, .. captures.Select(w.LoadSlot),
                .. reductions.Select(r => w.Append(Opcode.SlotAddress, RefTo(r.Reduction), [], i => new Instruction(i.Op, i.Type, i.Result, i.Operands, i.Location) { Slot = r.Slot }))];
            IrBlock parallel = call;
            if (strides.Count > 0)
            {
                // The values' span, (count - 1)·|step| + 1, times each |stride|, in doubles: exact below 2⁵³, and far past 2³² above.
                ValueId values = w.Append(Opcode.Add, IrType.F64, [Real(w, w.Append(Opcode.Mul, IrType.I64, [w.Append(Opcode.Sub, IrType.I64, [count, w.Const(IrType.I64, 1)]), magnitude])), RealConstant(w, 1)]);
                ValueId fits = w.Const(IrType.I32, 1);
                foreach (Polynomial stride in strides)
                {
                    ValueId product = w.Append(Opcode.Mul, IrType.F64, [values, Evaluate(w, stride)]);
                    ValueId within = w.Append(Opcode.And, IrType.I32, [w.Compare(Condition.LeS, product, RealConstant(w, 4294967296.0)), w.Compare(Condition.GeS, product, RealConstant(w, -4294967296.0))]);
                    fits = w.Append(Opcode.And, IrType.I32, [fits, within]);
                }
                parallel = f.NewBlock(header.IlOffset);
                IrBlock inOrder = f.NewBlock(header.IlOffset);
                parallel.Handler = inOrder.Handler = header.Handler;
                w.Branch(fits, parallel.Id, inOrder.Id);
                var serial = new BlockWriter(f, inOrder, location);
                serial.Append(Opcode.Call, IrType.Void, [serial.Const(IrType.I64, 0), .. arguments], i => { i.Callee = body; return i; });
                serial.Jump(f.Blocks[exit].Id);
                w = new BlockWriter(f, parallel, location);
            }
            w.Append(Opcode.Call, IrType.Void, arguments, i => { i.Callee = dispatch; return i; });
            w.Jump(f.Blocks[exit].Id);
            foreach (IrBlock block in f.Blocks.Where(b => !region.Contains(b.Id.Index) && b != call))
            {
                Instruction? terminator = block.Terminator;
                if (terminator is null)
                    continue;
                for (int t = 0; t < terminator.Targets.Length; t++)
                {
                    if (terminator.Targets[t].Block == header.Id)
                        terminator.Targets[t] = new BlockTarget(call.Id, []);
                }
            }
        }
    }
}
