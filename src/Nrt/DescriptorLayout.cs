namespace Targets.Runtime;

/// <summary>
/// An array descriptor: <c>{ ptr owner; ptr data; i64 length; i64 dimension[rank] (rank &gt;= 2) }</c>.
/// owner is null for a .NET array (borrowed: pinned by the caller for the call, never
/// refcounted) and the NRT MemInfo for an array made by compiled code, whose MemInfo data is the
/// descriptor followed by the elements. The lowering, the host stubs and <see cref="NrtArray{T}"/>
/// all read this one definition.
/// </summary>
public static class DescriptorLayout
{
    public const int Owner = 0, Data = 8, Length = 16, Dimensions = 24;

    /// <summary>Size of a descriptor of <paramref name="rank"/>.</summary>
    public static int Size(int rank) => rank == 1 ? 24 : 24 + 8 * rank;

    /// <summary>Bytes before the elements in an allocation made by compiled code (keeps elements 16-byte aligned).</summary>
    public static int AllocationHeader(int rank) => (Size(rank) + 15) & ~15;
}
