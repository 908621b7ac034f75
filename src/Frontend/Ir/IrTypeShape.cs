namespace Targets.Frontend.Ir;

/// <summary>
/// Compares IR types by what they are rather than which context made them: same kind, rank, jit
/// class, aggregate (name and fields) and element, recursively. Within one compilation types
/// compare by reference (they are interned by its <see cref="Il.TypeContext"/>); a table that
/// outlives compilations and serves every target (host stubs, one per signature shape) compares
/// with this instead, so a new target's <c>f64[]</c> finds the stub an earlier target's made.
/// </summary>
public sealed class IrTypeShape : IEqualityComparer<IrType>
{
    public static IrTypeShape Instance { get; } = new();

    IrTypeShape()
    {
    }

    public bool Equals(IrType? x, IrType? y)
    {
        if (ReferenceEquals(x, y))
            return true;
        if (x is null || y is null || x.Kind != y.Kind || x.Rank != y.Rank || x.IsString != y.IsString || x.JitClass != y.JitClass)
            return false;
        if (x.Aggregate is { } a && !SameFields(a, y.Aggregate!))
            return false;
        return x.Element is null ? y.Element is null : Equals(x.Element, y.Element);
    }

    // A loop, not LINQ: host stubs are looked up on a cache hit's path, which loads no System.Linq.
    bool SameFields(AggregateLayout a, AggregateLayout b)
    {
        // The C# struct counts too: a host stub unboxes and declares it (two structs of one name and fields are two stubs).
        if (a.Name != b.Name || a.ClrType != b.ClrType || a.Size != b.Size || a.Lanes != b.Lanes || a.Fields.Count != b.Fields.Count)
            return false;
        for (int n = 0; n < a.Fields.Count; n++)
        {
            if (a.Fields[n].Name != b.Fields[n].Name || a.Fields[n].Offset != b.Fields[n].Offset || !Equals(a.Fields[n].Type, b.Fields[n].Type))
                return false;
        }
        return true;
    }

    public int GetHashCode(IrType obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var hash = new HashCode();
        for (IrType? type = obj; type is not null; type = type.Element)
        {
            hash.Add(type.Kind);
            hash.Add(type.Rank);
            hash.Add(type.IsString);
            hash.Add(type.JitClass);
            hash.Add(type.Aggregate?.Name);
        }
        return hash.ToHashCode();
    }
}
