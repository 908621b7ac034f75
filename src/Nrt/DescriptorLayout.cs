namespace Targets.Runtime;

/// <summary>
/// An array descriptor: <c>{ ptr owner; ptr data; i64 length; ptr host; i64 dimension[rank] (rank &gt;= 2) }</c>.
/// <list type="bullet">
/// <item>An array made by compiled code: owner is its NRT MemInfo (whose data is this descriptor,
/// then the elements), host is null.</item>
/// <item>A .NET array lent to a call: owner is null (never refcounted), host is the array
/// object's address (it is pinned by the caller for the call).</item>
/// <item>A .NET array a <c>static readonly</c> field holds: owner is null, host is the array object's address (it is
/// pinned for the process's life). Compiled code returns no other descriptor with a null owner and a host that is not
/// one of the call's arguments (a lent array kept past its call is adopted first).</item>
/// <item>A string .NET lends a call: as a lent array (owner null, host the string's address, pinned by the caller),
/// its data the string's characters; compiled code only reads it.</item>
/// <item>Constant data (a span over a data blob, a string literal) and <c>stackalloc</c>: owner and host null.</item>
/// <item>A .NET array adopted to outlive the call (stored in a jit class field): owner is a MemInfo
/// whose data is a copy of this descriptor, host a pinned GCHandle of the array, freed by its destructor.</item>
/// </list>
/// The lowering, the host stubs, <see cref="NrtArray{T}"/> and boxes all read this one definition.
/// </summary>
public static class DescriptorLayout
{
    public const int Owner = 0, Data = 8, Length = 16, Host = 24, Dimensions = 32;

    /// <summary>Size of a descriptor of <paramref name="rank"/>.</summary>
    public static int Size(int rank) => rank == 1 ? 32 : 32 + 8 * rank;

    /// <summary>The .NET array an adopted descriptor (owner and host set) stands for, or null.</summary>
    public static unsafe Array? AdoptedArray(nint descriptor)
    {
        nint owner = *(nint*)(descriptor + Owner), host = *(nint*)(descriptor + Host);
        return owner != 0 && host != 0 ? (Array?)System.Runtime.InteropServices.GCHandle.FromIntPtr(host).Target : null;
    }

    /// <summary>The .NET array of a static readonly field a descriptor returned to the host stands for (owner null, host set), or null.</summary>
    public static unsafe Array? StaticArray(nint descriptor)
    {
        nint owner = *(nint*)(descriptor + Owner), host = *(nint*)(descriptor + Host);
        return owner == 0 && host != 0 ? System.Runtime.CompilerServices.Unsafe.As<nint, Array>(ref host) : null;
    }

    /// <summary>Bytes before the elements in an allocation made by compiled code (keeps elements 16-byte aligned).</summary>
    public static int AllocationHeader(int rank) => (Size(rank) + 15) & ~15;
}
