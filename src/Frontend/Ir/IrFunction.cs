using System.Reflection;

namespace Targets.Frontend.Ir;

/// <summary>
/// One IR function, named by its symbol: its slots (arguments first, then locals), blocks (block 0
/// is the entry, whose parameters are the arguments), and the type of every value. A C# method
/// behind it is optional metadata (diagnostics, host signatures): outlined loop bodies, kernel
/// wrappers and IR read from text have none.
/// </summary>
public sealed class IrFunction
{
    public IrFunction(string name, IrType returnType, IReadOnlyList<IrType> parameterTypes)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        ReturnType = returnType;
        ParameterTypes = parameterTypes;
    }

    /// <summary>The C# method or constructor this function was imported from, if any (instance members of jit classes take <c>this</c> as parameter 0).</summary>
    public MethodBase? Method { get; init; }

    /// <summary>
    /// Whether the function is the dispatch of a virtual method (<see cref="VirtualDispatch"/>): it reads its receiver's
    /// class and, block after block, compares it with each group's class ids and calls that group's implementation.
    /// </summary>
    public bool IsDispatch { get; set; }

    /// <summary>Whether the function is a jit class constructor: its first parameter is the new instance.</summary>
    public bool IsConstructor { get; set; }

    /// <summary>How messages name the function: its C# method as <c>Type.Method</c>, else its symbol.</summary>
    public string DisplayName => Method is { } m ? $"{m.DeclaringType?.Name}.{m.Name}" : Name;

    /// <summary>A symbol name unique within the module.</summary>
    public string Name { get; }

    public IrType ReturnType { get; }

    public IReadOnlyList<IrType> ParameterTypes { get; }

    /// <summary>Types of slots: arguments, then IL locals.</summary>
    public List<IrType> Slots { get; } = [];

    public List<IrBlock> Blocks { get; } = [];

    /// <summary>Array slots that borrow their reference (parameters never assigned): exits do not release them.</summary>
    public HashSet<int> BorrowedSlots { get; } = [];

    public List<IrType> ValueTypes { get; } = [];

    /// <summary>C# names of slots, where known (parameters; locals when a PDB is found), for diagnostics.</summary>
    public Dictionary<int, string> SlotNames { get; } = [];

    /// <summary>
    /// For the dispatch function of an outlined <see cref="Prange"/> loop: what a target that runs
    /// the loop across cores needs. Its IR runs the loop in order (one call of the body).
    /// </summary>
    public ParallelLoop? ParallelLoop { get; set; }

    /// <summary>
    /// The <see cref="Prange"/> loops of this function, by the slot of their enumerator's cursor:
    /// the first of the two slots after it (end, step), where the loop is in the source, and
    /// whether its array writes are vouched for and not checked for races: a kernel launcher's loop
    /// over work items (whose writes are the kernel's business, as on a GPU). C# may reuse one
    /// enumerator local for several loops: they share the cursor, and the first one's location.
    /// </summary>
    public Dictionary<int, (int EndSlot, SourceLocation Location, bool WritesVouched)> PrangeCursors { get; } = [];

    /// <summary>
    /// The IL offsets of the <c>MoveNext</c> calls of <see cref="Prange.Disjoint(int)"/> loops (the
    /// user vouches for their array writes): per loop, as loops may share a cursor.
    /// </summary>
    public HashSet<int> DisjointPrangeLoops { get; } = [];

    public IrBlock Entry => Blocks[0];

    /// <summary>
    /// A method compiled separately, when first called (<see cref="CompileOptions.LazyCallees"/>):
    /// only its signature is here, no blocks; calls to it go through a slot.
    /// </summary>
    public bool IsDeclaration { get; init; }

    public ValueId NewValue(IrType type)
    {
        ValueTypes.Add(type);
        return new ValueId(ValueTypes.Count - 1);
    }

    public IrType TypeOf(ValueId value) => ValueTypes[value.Index];

    /// <summary>
    /// The slots instructions with <paramref name="op"/> name (<see cref="Opcode.SlotAddress"/>: the
    /// slots whose address is taken). A loop, not LINQ: the passes' LINQ over ints is JIT-compiled in
    /// every process, on each first compile's path.
    /// </summary>
    public HashSet<int> SlotsNamedBy(Opcode op)
    {
        var slots = new HashSet<int>();
        foreach (IrBlock block in Blocks)
        {
            foreach (Instruction i in block.Instructions)
            {
                if (i.Op == op)
                    slots.Add(i.Slot);
            }
        }
        return slots;
    }

    public IrBlock NewBlock(int ilOffset)
    {
        var block = new IrBlock(new BlockId(Blocks.Count), ilOffset);
        Blocks.Add(block);
        return block;
    }

    public IrBlock this[BlockId id] => Blocks[id.Index];
}
