using System.Reflection;
using Targets.Frontend.Ir;

namespace Targets.Frontend.Il;

/// <summary>
/// What kernels and parallel loops add to the import. Guarantees: a kernel's <see cref="Index1D"/>,
/// <see cref="Index2D"/> or <see cref="Index3D"/> parameter is one I32 parameter per dimension (a
/// <see cref="LongIndex1D"/> one I64) and
/// may only be read (<c>.X/.Y/.Z</c>, or converted to int); a <c>foreach</c> over
/// <see cref="Prange.Range(int)"/> (or <see cref="Prange.Disjoint(int)"/>) becomes an ordinary counted loop whose enumerator lives in three
/// I64 slots (cursor, end, step), recorded in <see cref="IrFunction.PrangeCursors"/> so the parallel
/// target can find and outline it. Any other use of these types is a
/// <see cref="CompilationException"/> naming it.
/// </summary>
internal sealed partial class IlImporter
{
    /// <summary>What a stack entry of a kernel index or a Prange value holds.</summary>
    enum CompoundKind { RangeValue, RangeRef, EnumeratorValue, EnumeratorRef, IndexValue, IndexRef }

    /// <summary>A kernel index or Prange value: three values (start or cursor, end, step), or the first slot it lives in; <c>Vouched</c>: from <see cref="Prange.Disjoint(int)"/>.</summary>
    readonly record struct Compound(CompoundKind Kind, ValueId[]? Values = null, int Slot = -1, int Rank = 0, bool Vouched = false);

    /// <summary>For each Prange local's slot: the first of its two extra slots (end, step).</summary>
    readonly Dictionary<int, int> compoundSlots = [];

    /// <summary>Prange locals that hold a <see cref="Prange.Disjoint(int)"/> range or its enumerator.</summary>
    readonly HashSet<int> vouchedSlots = [];

    /// <summary>Dimensions of a kernel index type; 0 for any other type.</summary>
    public static int IndexRank(Type type) =>
        type == typeof(Index1D) || type == typeof(LongIndex1D) ? 1 : type == typeof(Index2D) ? 2 : type == typeof(Index3D) ? 3 : 0;

    /// <summary>The IR type of each coordinate of a kernel index type: I64 for <see cref="LongIndex1D"/>, I32 otherwise.</summary>
    public static IrType IndexCoordinate(Type type) => type == typeof(LongIndex1D) ? IrType.I64 : IrType.I32;

    static bool IsParallelType(Type? type) =>
        type is not null && (IndexRank(type) > 0 || type == typeof(Prange) || type == typeof(PrangeRange) || type == typeof(PrangeEnumerator));

    static int[] ArgumentSlots(MethodBase method)
    {
        ParameterInfo[] parameters = method.GetParameters();
        int thisSlots = method.IsStatic ? 0 : 1;
        var slots = new int[parameters.Length + thisSlots];
        int next = thisSlots;
        for (int p = 0; p < parameters.Length; p++)
        {
            slots[p + thisSlots] = next;
            next += Math.Max(1, IndexRank(parameters[p].ParameterType));
        }
        return slots;
    }

    int ArgumentSlot(int argument)
    {
        if (argument < 0 || argument >= argumentSlots.Length)
            throw Error(CompilationErrorKind.InvalidIl, "malformed IL", $"{instruction.OpCode.Name} names a missing argument");
        if (IndexParameterRank(argument) > 0)
            throw Unsupported("assigning a kernel index parameter", "kernel indices are read-only");
        return argumentSlots[argument];
    }

    int IndexParameterRank(int argument)
    {
        int thisSlots = method.IsStatic ? 0 : 1;
        return argument < thisSlots ? 0 : IndexRank(method.GetParameters()[argument - thisSlots].ParameterType);
    }

    void LoadArgument(int argument, bool address)
    {
        if (argument < 0 || argument >= argumentSlots.Length)
            throw Error(CompilationErrorKind.InvalidIl, "malformed IL", $"{instruction.OpCode.Name} names a missing argument");
        int rank = IndexParameterRank(argument);
        if (rank > 0)
        {
            stack.Add(new StackItem(default, Compound: new Compound(address ? CompoundKind.IndexRef : CompoundKind.IndexValue, Slot: argumentSlots[argument], Rank: rank)));
            return;
        }
        if (address)
            SlotAddress(argumentSlots[argument]);
        else
            LoadSlot(argumentSlots[argument]);
    }

    void LocalAddress(int slot)
    {
        if (messageSlots.Contains(slot))
        {
            stack.Add(new StackItem(default, MessageSlot: slot));
            return;
        }
        if (compoundSlots.ContainsKey(slot))
        {
            bool enumerator = method.GetMethodBody()!.LocalVariables[slot - argumentCount].LocalType == typeof(PrangeEnumerator);
            stack.Add(new StackItem(default, Compound: new Compound(enumerator ? CompoundKind.EnumeratorRef : CompoundKind.RangeRef, Slot: slot)));
            return;
        }
        SlotAddress(slot);
    }

    /// <summary><c>stloc</c> of a Prange range or enumerator into its local's three slots.</summary>
    void StoreCompound(int slot, Compound compound)
    {
        if (compound.Values is not { } values || !compoundSlots.TryGetValue(slot, out int extra))
            throw Unsupported(compound.Kind is CompoundKind.IndexValue ? "copying a kernel index into a variable" : "storing a Prange value outside foreach",
                compound.Kind is CompoundKind.IndexValue ? "read its X/Y/Z (or convert an Index1D to int) instead" : "write foreach (int i in Prange.Range(n)) directly");
        Emit(Opcode.StoreSlot, IrType.Void, [values[0]], slot: slot);
        Emit(Opcode.StoreSlot, IrType.Void, [values[1]], slot: extra);
        Emit(Opcode.StoreSlot, IrType.Void, [values[2]], slot: extra + 1);
        if (compound.Vouched)
            vouchedSlots.Add(slot);
        else
            vouchedSlots.Remove(slot);
    }

    ValueId[] LoadCompound(int slot)
    {
        int extra = compoundSlots[slot];
        return [Emit(Opcode.LoadSlot, IrType.I64, [], slot: slot), Emit(Opcode.LoadSlot, IrType.I64, [], slot: extra), Emit(Opcode.LoadSlot, IrType.I64, [], slot: extra + 1)];
    }

    ValueId Widen(ValueId value) => Emit(Opcode.Convert, IrType.I64, [value], target: IrType.I64);

    /// <summary>A call to a member of <see cref="Prange"/>, its range and enumerator, or a kernel index.</summary>
    void ParallelMember(MethodBase callee)
    {
        Type owner = callee.DeclaringType!;
        if (owner == typeof(Prange) && callee.Name is nameof(Prange.Range) or nameof(Prange.Disjoint))
        {
            int arity = callee.GetParameters().Length;
            var arguments = new ValueId[arity];
            for (int a = arity - 1; a >= 0; a--)
                arguments[a] = Widen(Pop());
            ValueId start = arity == 1 ? Emit(Opcode.Const, IrType.I64, [], constant: 0) : arguments[0];
            ValueId end = arity == 1 ? arguments[0] : arguments[1];
            ValueId step = arity == 3 ? arguments[2] : Emit(Opcode.Const, IrType.I64, [], constant: 1);
            if (arity == 3)
                RaiseUnless(Emit(Opcode.Compare, IrType.I32, [step, Emit(Opcode.Const, IrType.I64, [], constant: 0)], condition: Condition.Ne),
                    RaiseInfo.Of<ArgumentException>(Prange.ZeroStep));
            stack.Add(new StackItem(default, Compound: new Compound(CompoundKind.RangeValue, [start, end, step], Vouched: callee.Name == nameof(Prange.Disjoint))));
            return;
        }
        StackItem receiver = stack.Count > 0 ? stack[^1] : default;
        switch (owner.Name, callee.Name, receiver.Compound?.Kind)
        {
            case (nameof(PrangeRange), nameof(PrangeRange.GetEnumerator), CompoundKind.RangeRef):
                {
                    PopItem();
                    ValueId[] range = LoadCompound(receiver.Compound!.Value.Slot);
                    ValueId before = Emit(Opcode.Sub, IrType.I64, [range[0], range[2]]);
                    stack.Add(new StackItem(default, Compound: new Compound(CompoundKind.EnumeratorValue, [before, range[1], range[2]], Vouched: vouchedSlots.Contains(receiver.Compound!.Value.Slot))));
                    return;
                }
            case (nameof(PrangeEnumerator), nameof(PrangeEnumerator.MoveNext), CompoundKind.EnumeratorRef):
                {
                    PopItem();
                    int slot = receiver.Compound!.Value.Slot;
                    ValueId[] e = LoadCompound(slot);
                    ValueId cursor = Emit(Opcode.Add, IrType.I64, [e[0], e[2]]);
                    Emit(Opcode.StoreSlot, IrType.Void, [cursor], slot: slot);
                    // step > 0 ? cursor < end : cursor > end, as 0/1 arithmetic (LLVM folds a constant step).
                    ValueId zero = Emit(Opcode.Const, IrType.I64, [], constant: 0);
                    ValueId up = Emit(Opcode.Compare, IrType.I32, [e[2], zero], condition: Condition.GtS);
                    ValueId below = Emit(Opcode.Compare, IrType.I32, [cursor, e[1]], condition: Condition.LtS);
                    ValueId above = Emit(Opcode.Compare, IrType.I32, [cursor, e[1]], condition: Condition.GtS);
                    ValueId down = Emit(Opcode.Xor, IrType.I32, [up, ConstI32(1)]);
                    Push(Emit(Opcode.Or, IrType.I32, [Emit(Opcode.And, IrType.I32, [up, below]), Emit(Opcode.And, IrType.I32, [down, above])]));
                    function.PrangeCursors.TryAdd(slot, (compoundSlots[slot], locator.Locate(instruction.Offset), WritesVouched: false));
                    if (vouchedSlots.Contains(slot))
                        function.DisjointPrangeLoops.Add(instruction.Offset);
                    return;
                }
            case (nameof(PrangeEnumerator), "get_Current", CompoundKind.EnumeratorRef):
                PopItem();
                Push(Emit(Opcode.Convert, IrType.I32, [Emit(Opcode.LoadSlot, IrType.I64, [], slot: receiver.Compound!.Value.Slot)], target: IrType.I32));
                return;
            case (_, "op_Implicit" or nameof(Index1D.ToInt32) or nameof(LongIndex1D.ToInt64), CompoundKind.IndexValue or CompoundKind.IndexRef) when receiver.Compound!.Value.Rank == 1:
                PopItem();
                LoadSlot(receiver.Compound!.Value.Slot);
                return;
            case (_, "get_X" or "get_Y" or "get_Z", CompoundKind.IndexRef):
                {
                    int dimension = callee.Name[^1] - 'X';
                    Compound index = receiver.Compound!.Value;
                    if (dimension >= index.Rank)
                        break;
                    PopItem();
                    LoadSlot(index.Slot + dimension);
                    return;
                }
        }
        throw Error(CompilationErrorKind.UnsupportedCall, $"{owner.Name}.{callee.Name}",
            IndexRank(owner) > 0 ? "a kernel index offers X, Y, Z (and an Index1D converts to int)" : "Prange is used as foreach (int i in Prange.Range(…))");
    }

    /// <summary>Continues in a new block when <paramref name="test"/> holds; raises <paramref name="exception"/> otherwise.</summary>
    void RaiseUnless(ValueId test, RaiseInfo exception)
    {
        IrBlock raise = function.NewBlock(instruction.Offset), next = function.NewBlock(instruction.Offset);
        raise.Handler = next.Handler = current.Handler;
        Emit(Opcode.Branch, IrType.Void, [test], targets: [new BlockTarget(next.Id, []), new BlockTarget(raise.Id, [])]);
        current = raise;
        Emit(Opcode.Raise, IrType.Void, [], exception: exception);
        current = next;
    }
}
