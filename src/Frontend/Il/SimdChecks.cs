namespace Targets.Frontend.Il;

/// <summary>
/// The checks .NET's SIMD members make before they touch memory or a lane, as C# the importer calls (see
/// IlImporter.Simd) ahead of the unchecked <see cref="Ir.SimdOp"/>: the same exceptions with the same messages, and the
/// same <see cref="NullReferenceException"/> for a null array (its length is read). Each takes the lane count it checks for.
/// </summary>
internal static class SimdChecks
{
#pragma warning disable CA2201, CA2208, CA1512 // .NET's own exceptions, messages and parameter names, which the oracle compares
    const string IndexMustBeLessOrEqual = "Index was out of range. Must be non-negative and less than or equal to the size of the collection.";
    const string IndexMustBeLess = "Index was out of range. Must be non-negative and less than the size of the collection.";
    const string DestinationTooShort = "Destination is too short.";

    /// <summary><c>new Vector&lt;T&gt;(values, index)</c>, <c>Vector128.Create(values, index)</c>: the lanes lie inside the array.</summary>
    internal static void Source<T>(T[] values, int index, int lanes)
    {
        // .NET's test is values.Length - index < lanes; this equal form is the negation of the loop condition
        // i <= a.Length - Vector<T>.Count, which LLVM then folds away.
        if (index < 0 || index > values.Length - lanes)
            throw new ArgumentOutOfRangeException(nameof(index), IndexMustBeLessOrEqual);
    }

    /// <summary>A vector made from a span: it has the lanes.</summary>
    internal static void SourceSpan(int length, int lanes)
    {
        if (length < lanes)
            throw new ArgumentOutOfRangeException("values");
    }

    /// <summary><c>CopyTo(destination)</c> of an array.</summary>
    internal static void Destination<T>(T[] destination, int lanes)
    {
        if (destination.Length < lanes)
            throw new ArgumentException(DestinationTooShort, nameof(destination));
    }

    /// <summary><c>CopyTo(destination, startIndex)</c>.</summary>
    internal static void DestinationAt<T>(T[] destination, int startIndex, int lanes)
    {
        if ((uint)startIndex >= (uint)destination.Length)
            throw new ArgumentOutOfRangeException(nameof(startIndex), IndexMustBeLess);
        if (destination.Length - startIndex < lanes)
            throw new ArgumentException(DestinationTooShort, nameof(destination));
    }

    /// <summary><c>CopyTo(destination)</c> of a span.</summary>
    internal static void DestinationSpan(int length, int lanes)
    {
        if (length < lanes)
            throw new ArgumentException(DestinationTooShort, "destination");
    }

    /// <summary>The indexer, <c>GetElement</c>, <c>WithElement</c>: a lane that exists (as the JIT's expansion checks: no parameter named).</summary>
    internal static void Lane(int index, int lanes)
    {
        if ((uint)index >= (uint)lanes)
            throw new ArgumentOutOfRangeException();
    }

    /// <summary>The same check as .NET's library code makes it: the parameter named <c>index</c>.</summary>
    internal static void LaneNamed(int index, int lanes)
    {
        if ((uint)index >= (uint)lanes)
            throw new ArgumentOutOfRangeException(nameof(index));
    }

    /// <summary>
    /// Whether .NET's lane check for <paramref name="member"/> of the vector family <paramref name="family"/> (<c>Vector</c>,
    /// <c>Vector128</c>, …) names its parameter. .NET's library code does; the JIT's expansion of an <c>[Intrinsic]</c>
    /// member, for a vector size the hardware accelerates, does not. Which members the JIT expands is its choice, not the
    /// library's: this is x64 .NET 10's (Vector&lt;T&gt;'s WithElement is no intrinsic; Vector128's indexer is expanded;
    /// nothing of Vector64 is accelerated on x64). Vector256's and Vector512's indexers are not intrinsics but call
    /// GetElement, and whether .NET's exception names the parameter then changes with the JIT's tier (inlined or not):
    /// compiled code names it, as their library code does.
    /// </summary>
    internal static bool NamesIndex(Type family, string member)
    {
        bool accelerated = family == typeof(System.Numerics.Vector) ? System.Numerics.Vector.IsHardwareAccelerated
            : family == typeof(System.Runtime.Intrinsics.Vector64) ? System.Runtime.Intrinsics.Vector64.IsHardwareAccelerated
            : family == typeof(System.Runtime.Intrinsics.Vector128) ? System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated
            : family == typeof(System.Runtime.Intrinsics.Vector256) ? System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated
            : System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated;
        return !accelerated || member switch
        {
            "WithElement" => family == typeof(System.Numerics.Vector),
            "get_Item" => family == typeof(System.Runtime.Intrinsics.Vector256) || family == typeof(System.Runtime.Intrinsics.Vector512),
            _ => false,
        };
    }
}
