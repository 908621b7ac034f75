namespace Targets.Frontend.Ir;

/// <summary>A field of an aggregate: its name, type and byte offset.</summary>
public sealed record AggregateField(string Name, IrType Type, int Offset);

/// <summary>
/// What an <see cref="IrTypeKind.Aggregate"/> type holds: a value of named fields laid out by
/// <see cref="SequentialLayout"/> (the struct a C# <c>struct</c> is, passed and stored by value).
/// Fields are scalars, references (arrays, jit class instances: counted, see
/// <see cref="CountedFields"/>) or other aggregates.
/// </summary>
public sealed class AggregateLayout
{
    internal AggregateLayout(string name, IReadOnlyList<AggregateField> fields, int size, int alignment)
    {
        Name = name;
        Fields = fields;
        Size = size;
        Alignment = alignment;
        var counted = new List<int>();
        for (int n = 0; n < fields.Count; n++)
        {
            if (fields[n].Type.IsCounted || fields[n].Type.Aggregate?.CountedFields.Count > 0)
                counted.Add(n);
        }
        CountedFields = counted;
    }

    /// <summary>The name it prints as (a C# struct's name).</summary>
    public string Name { get; }

    public IReadOnlyList<AggregateField> Fields { get; }

    public int Size { get; }

    public int Alignment { get; }

    /// <summary>The fields that hold references NRT counts, directly or inside a nested aggregate: what copying or dropping the value must count.</summary>
    public IReadOnlyList<int> CountedFields { get; }

    /// <summary>As declared at the head of printed IR: <c>{ f64 X @0, f64 Y @8 } size 16 align 8</c>.</summary>
    public override string ToString() =>
        $"{{ {string.Join(", ", Fields.Select(f => $"{f.Type} {f.Name} @{f.Offset}"))} }} size {Size} align {Alignment}";
}
