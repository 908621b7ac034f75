namespace Targets.Frontend.Ir;

/// <summary>A field of an aggregate: its name, type and byte offset.</summary>
public sealed record AggregateField(string Name, IrType Type, int Offset);

/// <summary>
/// A counted reference inside an aggregate, however deeply nested: the field indices that reach it
/// (outermost first), its byte offset in the outermost value, and its type (an array or an instance).
/// </summary>
public sealed record CountedLeaf(IReadOnlyList<int> Path, int Offset, IrType Type);

/// <summary>
/// What an <see cref="IrTypeKind.Aggregate"/> type holds: a value of named fields at given offsets
/// (a C# <c>struct</c>, passed and stored by value, laid out as the runtime lays it out — see
/// <see cref="Il.ManagedLayout"/> — or by <see cref="SequentialLayout"/> when made from a list).
/// Fields never overlap and each sits at a multiple of its alignment, in every element of an array.
/// Fields are scalars, references (arrays, jit class instances: counted, see
/// <see cref="CountedLeaves"/>) or other aggregates.
/// </summary>
public sealed class AggregateLayout
{
    internal AggregateLayout(string name, IReadOnlyList<AggregateField> fields, int size, int alignment, Type? clrType, System.Reflection.MethodInfo? function = null,
        int lanes = 0)
    {
        Name = name;
        Lanes = lanes;
        Function = function;
        ClrType = clrType;
        Fields = fields;
        Size = size;
        Alignment = alignment;
        var leaves = new List<CountedLeaf>();
        for (int n = 0; n < fields.Count; n++)
        {
            if (fields[n].Type.IsCounted)
                leaves.Add(new CountedLeaf([n], fields[n].Offset, fields[n].Type));
            foreach (CountedLeaf inner in fields[n].Type.Aggregate?.CountedLeaves ?? [])
                leaves.Add(new CountedLeaf([n, .. inner.Path], fields[n].Offset + inner.Offset, inner.Type));
        }
        CountedLeaves = leaves;
    }

    /// <summary>
    /// For a function value's type: the method it is. Functions as values (delegates of static methods
    /// and lambdas, function pointers) are specialised: the method is part of the type, so a value of the
    /// type holds no data (one byte of padding) and a call through it is a direct call.
    /// </summary>
    public System.Reflection.MethodInfo? Function { get; }

    /// <summary>
    /// For a SIMD vector (<c>Vector&lt;T&gt;</c>, <c>Vector128&lt;T&gt;</c>, …; see <see cref="Il.TypeContext.VectorOf"/>): how many
    /// lanes it has, one field each (<c>e0</c>, <c>e1</c>, … of one number type, packed); 0 for any other aggregate. A
    /// target keeps it in vector registers and <see cref="Opcode.Simd"/> computes on it.
    /// </summary>
    public int Lanes { get; }

    /// <summary>The lane type of a SIMD vector (see <see cref="Lanes"/>).</summary>
    public IrType? LaneType => Lanes > 0 ? Fields[0].Type : null;

    /// <summary>The C# struct it is, when it came from one (null for an aggregate read from IR text): what .NET passes across the host boundary.</summary>
    public Type? ClrType { get; }

    /// <summary>
    /// Whether this is a span (<see cref="Il.SpanView{T}"/>): a value that never leaves the stack (C# keeps ref structs
    /// there), so the array it views is borrowed for as long as the span lives and never needs keeping past the call.
    /// </summary>
    public bool IsSpan => ClrType is { IsGenericType: true } type && type.GetGenericTypeDefinition() == typeof(Il.SpanView<>);

    /// <summary>The index of the field named <paramref name="name"/>, or -1.</summary>
    public int IndexOf(string name)
    {
        for (int n = 0; n < Fields.Count; n++)
        {
            if (Fields[n].Name == name)
                return n;
        }
        return -1;
    }

    /// <summary>The name it prints as (a C# struct's name).</summary>
    public string Name { get; }

    public IReadOnlyList<AggregateField> Fields { get; }

    public int Size { get; }

    public int Alignment { get; }

    /// <summary>The references NRT counts that a value holds, in its fields or nested aggregates, in offset order: what copying or dropping the value must count.</summary>
    public IReadOnlyList<CountedLeaf> CountedLeaves { get; }

    /// <summary>As declared at the head of printed IR: <c>{ f64 X @0, f64 Y @8 } size 16 align 8</c>.</summary>
    public override string ToString() =>
        $"{{ {string.Join(", ", Fields.Select(f => $"{f.Type} {f.Name} @{f.Offset}"))} }} size {Size} align {Alignment}{(Lanes > 0 ? " simd" : "")}";
}
