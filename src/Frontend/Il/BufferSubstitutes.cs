namespace Targets.Frontend.Il;

/// <summary>
/// <see cref="Buffer.BlockCopy"/>'s checks, in .NET's order with .NET's exceptions and messages, as C# the importer calls
/// (see IlImporter.Arrays) before it copies the bytes (<see cref="Ir.IntrinsicKind.CopyBytes"/>). The importer passes each
/// array's element size and whether its elements are primitive (numbers, bool, char: not structs nor instances).
/// </summary>
internal static class BufferSubstitutes
{
#pragma warning disable CA1510, CA2208 // the exceptions compiled code raises are created directly; the parameter names are .NET's
    internal static void BlockCopyChecks<TSource, TDestination>(TSource[] src, int srcOffset, TDestination[] dst, int dstOffset, int count,
        int srcSize, bool srcPrimitive, int dstSize, bool dstPrimitive, bool same) // same: src and dst are one array
    {
        if (src is null)
            throw new ArgumentNullException(nameof(src));
        if (dst is null)
            throw new ArgumentNullException(nameof(dst));
        if (!srcPrimitive)
            throw new ArgumentException("Object must be an array of primitives.", nameof(src));
        long srcLength = (long)src.Length * srcSize, dstLength = srcLength;
        if (!same)
        {
            if (!dstPrimitive)
                throw new ArgumentException("Object must be an array of primitives.", nameof(dst));
            dstLength = (long)dst.Length * dstSize;
        }
        // .NET's ArgumentOutOfRangeException.ThrowIfNegative, with its message.
        if (srcOffset < 0)
            throw new ArgumentOutOfRangeException(nameof(srcOffset), srcOffset, $"srcOffset ('{srcOffset}') must be a non-negative value.");
        if (dstOffset < 0)
            throw new ArgumentOutOfRangeException(nameof(dstOffset), dstOffset, $"dstOffset ('{dstOffset}') must be a non-negative value.");
        if (count < 0)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"count ('{count}') must be a non-negative value.");
        if (srcLength < (long)srcOffset + count || dstLength < (long)dstOffset + count)
            throw new ArgumentException("Offset and length were out of bounds for the array or count is greater than the number of elements from index to the end of the source collection.");
    }
}
