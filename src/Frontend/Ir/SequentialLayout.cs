namespace Targets.Frontend.Ir;

/// <summary>
/// The one field-layout algorithm (the role of ILCompiler's <c>FieldLayoutAlgorithm</c>): C's
/// sequential layout, what <c>[StructLayout(LayoutKind.Sequential)]</c> gives — each field at the
/// next multiple of its alignment, the size rounded up to the largest alignment, at least one byte.
/// Jit classes (<c>JitClass.Define</c>) and aggregates made from a list of fields (<c>TypeContext.AggregateOf</c>)
/// are laid out here, and so will be what comes next: a derived class's fields after its base's
/// (the <c>start</c> of <see cref="Of"/>), a generic instantiation's fields once its arguments are known.
/// </summary>
public static class SequentialLayout
{
    /// <summary>A laid-out sequence: each field's offset, the total size and the alignment.</summary>
    public readonly record struct Result(int[] Offsets, int Size, int Alignment);

    /// <param name="fields">Each field's size and alignment, in order.</param>
    /// <param name="start">Bytes already taken before the first field (a base class's prefix).</param>
    /// <param name="startAlignment">The alignment of what is already taken.</param>
    // A loop over a list, not LINQ: jit classes are laid out on a cache hit's path, which loads no System.Linq.
    public static Result Of(IReadOnlyList<(int Size, int Alignment)> fields, int start = 0, int startAlignment = 1)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfLessThan(startAlignment, 1);
        int offset = start, alignment = startAlignment;
        var offsets = new int[fields.Count];
        for (int n = 0; n < fields.Count; n++)
        {
            (int size, int align) = fields[n];
            if (align < 1 || (align & (align - 1)) != 0)
                throw new ArgumentException($"Field {n}'s alignment {align} is not a power of two.", nameof(fields));
            offset = (offset + align - 1) / align * align;
            offsets[n] = offset;
            offset += size;
            alignment = Math.Max(alignment, align);
        }
        return new Result(offsets, Math.Max(1, (offset + alignment - 1) / alignment * alignment), alignment);
    }
}
