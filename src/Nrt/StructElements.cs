using Targets.Frontend.Ir;

namespace Targets.Runtime;

/// <summary>
/// How the runtime releases the elements of an array of structs that hold references: one destructor,
/// <c>nrt_release_struct_elements</c>, told where the references lie by the MemInfo's destructor
/// info — a word, not a pointer, so it outlives any code. Bit <c>k</c> (k &lt; <see cref="Words"/>)
/// marks pointer-sized word k of an element as an instance, bit <see cref="Words"/> + k as an array (a
/// descriptor whose owner is released), and the top 16 bits hold the element's size in words.
/// References sit at pointer-aligned offsets, so a word index names each.
/// </summary>
public static class StructElements
{
    /// <summary>How many leading words of an element the destructor reaches.</summary>
    public const int Words = 24;

    /// <summary>The largest element, in words, the size field holds.</summary>
    const int MaxElementWords = ushort.MaxValue;

    /// <summary>Why an array of <paramref name="element"/> cannot be released this way, or null when it can.</summary>
    public static string? WhyNot(AggregateLayout element)
    {
        ArgumentNullException.ThrowIfNull(element);
        if (element.Size / 8 > MaxElementWords)
            return $"{element.Name} is over {MaxElementWords * 8} bytes";
        return element.CountedLeaves.FirstOrDefault(l => l.Offset / 8 >= Words) is { } late
            ? $"{element.Name} holds a reference at byte {late.Offset}, beyond its first {Words * 8} bytes (only an explicit layout puts one there: move the array and instance fields first)"
            : null;
    }

    /// <summary>The destructor info of an array of arrays (a jagged array): each element one word, an array descriptor.</summary>
    public const ulong OfArrays = (1UL << 48) | (1UL << Words);

    /// <summary>The destructor info of an array of <paramref name="element"/> (see the class summary).</summary>
    public static ulong InfoOf(AggregateLayout element)
    {
        ArgumentNullException.ThrowIfNull(element);
        if (WhyNot(element) is { } why)
            throw new ArgumentException($"An array of {element.Name} cannot be released by the runtime: {why}.", nameof(element));
        ulong info = (ulong)(element.Size / 8) << 48;
        foreach (CountedLeaf leaf in element.CountedLeaves)
            info |= 1UL << (leaf.Offset / 8 + (leaf.Type.Kind == IrTypeKind.Array ? Words : 0));
        return info;
    }
}
