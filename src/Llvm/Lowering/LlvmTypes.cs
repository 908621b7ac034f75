using Targets.Frontend.Ir;
using Targets.Llvm.Interop;

namespace Targets.Llvm.Lowering;

/// <summary>IR types as LLVM types: stack types for values and parameters, memory types for slots and elements.</summary>
public sealed class LlvmTypes
{
    readonly LlvmContext context;
    readonly Dictionary<IrType, (LLVMTypeRef Type, uint[] Elements)> aggregates = [];

    public LlvmTypes(LlvmContext context)
    {
        this.context = context;
        I1 = context.Int1;
        I8 = context.Int8;
        I16 = context.Int16;
        I32 = context.Int32;
        I64 = context.Int64;
        F32 = context.Float;
        F64 = context.Double;
        Ptr = context.Pointer();
        Void = context.Void;
    }

    public LLVMTypeRef I1 { get; }
    public LLVMTypeRef I8 { get; }
    public LLVMTypeRef I16 { get; }
    public LLVMTypeRef I32 { get; }
    public LLVMTypeRef I64 { get; }
    public LLVMTypeRef F32 { get; }
    public LLVMTypeRef F64 { get; }
    public LLVMTypeRef Ptr { get; }
    public LLVMTypeRef Void { get; }

    public LlvmContext Context => context;

    /// <summary>The type a value of <paramref name="type"/> has in registers (its IL stack type).</summary>
    public LLVMTypeRef Value(IrType type) => type.StackType.Kind switch
    {
        IrTypeKind.I32 => I32,
        IrTypeKind.I64 or IrTypeKind.NInt => I64,
        IrTypeKind.F32 => F32,
        IrTypeKind.F64 => F64,
        IrTypeKind.Array or IrTypeKind.ByRef or IrTypeKind.Null or IrTypeKind.Instance => Ptr,
        IrTypeKind.Aggregate => Aggregate(type).Type,
        _ => throw new InvalidOperationException($"{type} has no value representation"),
    };

    /// <summary>
    /// How a function takes a value of <paramref name="type"/>: an aggregate as a pointer to a copy the
    /// caller owns (so the entry .NET calls has the same ABI as every other function, and LLVM's
    /// inliner and SROA remove the copy between compiled functions), anything else as its value.
    /// </summary>
    public LLVMTypeRef Parameter(IrType type) => type.Kind == IrTypeKind.Aggregate ? Ptr : Value(type);

    /// <summary>
    /// An aggregate as an LLVM struct whose natural layout is the aggregate's: its fields in offset
    /// order, with <c>[n x i8]</c> padding wherever the next field starts later than the natural
    /// layout would put it, and at the end up to the size. (<see cref="Frontend.Il.TypeContext.AggregateOf(string, IReadOnlyList{ValueTuple{string, IrType}}, IReadOnlyList{int}, int, Type)"/>
    /// guarantees each field is aligned and the size a multiple of the alignment, so no field needs a packed struct — but
    /// for a SIMD vector field, which LLVM aligns as a whole vector: a struct holding one is packed.) A SIMD vector itself
    /// is an LLVM vector. <c>Elements[f]</c> is the struct element that holds field <c>f</c>.
    /// </summary>
    public (LLVMTypeRef Type, uint[] Elements) Aggregate(IrType type)
    {
        if (aggregates.TryGetValue(type, out var known))
            return known;
        AggregateLayout layout = type.Aggregate ?? throw new InvalidOperationException($"{type} is not an aggregate");
        if (layout.Lanes > 0)
        {
            // A SIMD vector is an LLVM vector: lane f is field f.
            var lanes = new uint[layout.Lanes];
            for (int n = 0; n < lanes.Length; n++)
                lanes[n] = (uint)n;
            return aggregates[type] = (LlvmApi.LLVMVectorType(Memory(layout.LaneType!), (uint)layout.Lanes), lanes);
        }
        int[] order = new int[layout.Fields.Count];
        for (int n = 0; n < order.Length; n++)
            order[n] = n;
        Array.Sort(order, (a, b) => layout.Fields[a].Offset.CompareTo(layout.Fields[b].Offset));
        var elements = new List<LLVMTypeRef>();
        var indexOf = new uint[order.Length];
        int offset = 0;
        foreach (int f in order)
        {
            AggregateField field = layout.Fields[f];
            if (field.Offset > offset)
                elements.Add(LlvmApi.LLVMArrayType2(I8, (ulong)(field.Offset - offset)));
            indexOf[f] = (uint)elements.Count;
            elements.Add(Memory(field.Type));
            offset = field.Offset + field.Type.Size;
        }
        // A SIMD vector field (a struct's, at .NET's offset, or in an aggregate the compiler makes: a Prange loop's captures)
        // may sit where LLVM would not put a whole vector: such a struct is packed, every gap padded explicitly, so the offsets hold.
        bool packed = layout.Fields.Any(f => f.Type.Aggregate is { Lanes: > 0 });
        int natural = packed ? offset : (offset + layout.Alignment - 1) / layout.Alignment * layout.Alignment;
        if (layout.Size > natural)
            elements.Add(LlvmApi.LLVMArrayType2(I8, (ulong)(layout.Size - offset)));
        LLVMTypeRef made;
        unsafe
        {
            LLVMTypeRef[] array = [.. elements];
            fixed (LLVMTypeRef* e = array)
                made = LlvmApi.LLVMStructTypeInContext(context.Handle, e, (uint)array.Length, packed ? 1 : 0);
        }
        aggregates[type] = (made, indexOf);
        return (made, indexOf);
    }

    /// <summary>The type of <paramref name="type"/> in memory (slots, array elements, byref targets).</summary>
    public LLVMTypeRef Memory(IrType type) => type.Kind switch
    {
        IrTypeKind.Bool or IrTypeKind.I8 or IrTypeKind.U8 => I8,
        IrTypeKind.Char or IrTypeKind.I16 or IrTypeKind.U16 => I16,
        IrTypeKind.I32 or IrTypeKind.U32 => I32,
        IrTypeKind.I64 or IrTypeKind.U64 or IrTypeKind.NInt or IrTypeKind.NUInt => I64,
        IrTypeKind.F32 => F32,
        IrTypeKind.F64 => F64,
        IrTypeKind.Array or IrTypeKind.ByRef or IrTypeKind.Null or IrTypeKind.Instance => Ptr,
        IrTypeKind.Aggregate => Aggregate(type).Type,
        _ => throw new InvalidOperationException($"{type} has no memory representation"),
    };

    /// <summary>
    /// The alignment a load or store of <paramref name="type"/> may assume: a SIMD vector's lane's (.NET's arrays, its
    /// stack copies and the heap align no more, while LLVM would assume a vector's whole size); 0, the type's own, for the rest.
    /// </summary>
    public static uint Alignment(IrType type) => type.Aggregate is { Lanes: > 0 } vector ? (uint)vector.Alignment : 0;

    /// <summary>Bit width of an integer type in memory.</summary>
    public static int Bits(IrType type) => type.Size * 8;
}
