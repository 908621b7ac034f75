using Targets.Runtime;

namespace Targets;

/// <summary>
/// A zero-copy view of an array compiled code returned: ask for it with a delegate whose return
/// type is <c>NrtArray&lt;T&gt;</c> where the C# method returns <c>T[]</c>. The view holds one NRT
/// reference to the array, released by <see cref="Dispose"/> (or, if forgotten, the finalizer).
/// When the array came from .NET in the first place, the view simply wraps that .NET array.
/// </summary>
public sealed unsafe class NrtArray<T> : IDisposable where T : unmanaged
{
    readonly T[]? managed;
    readonly nint memInfo;
    readonly delegate* unmanaged<nint, void> decref;
    T* data;

    internal NrtArray(T[] array) => managed = array;

    internal NrtArray(nint memInfo, T* data, int length, delegate* unmanaged<nint, void> decref)
    {
        this.memInfo = memInfo;
        this.data = data;
        this.decref = decref;
        Length = length;
    }

    /// <summary>Number of elements.</summary>
    public int Length { get => managed?.Length ?? field; private init; }

    /// <summary>The NRT reference count (1 while only this view holds the array); 0 for a wrapped .NET array.</summary>
    public long RefCount
    {
        get
        {
            ObjectDisposedException.ThrowIf(IsDisposed, this);
            return managed is null && memInfo != 0 ? Nrt.RefCount(memInfo) : 0;
        }
    }

    bool IsDisposed => managed is null && data == null;

    /// <summary>The elements, in place.</summary>
    public Span<T> AsSpan()
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        return managed is not null ? managed : new Span<T>(data, Length);
    }

    /// <summary>A .NET copy of the elements.</summary>
    public T[] ToArray() => AsSpan().ToArray();

    /// <summary>Drops this view's reference (once; later calls, and calls racing on other threads, do nothing).</summary>
    public void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    void Release()
    {
        if (managed is not null)
            return;
        // One thread takes the pointer; whoever finds it gone has nothing to release.
        fixed (T** slot = &data)
        {
            if (Interlocked.Exchange(ref *(nint*)slot, 0) == 0)
                return;
        }
        decref(memInfo);
    }

    ~NrtArray() => Release();
}

/// <summary>Makes <see cref="NrtArray{T}"/> views for host stubs.</summary>
internal static unsafe class NrtArrays
{
    /// <summary>Wraps what a compiled function returned: a descriptor it owns a reference to, or the .NET array it was given.</summary>
    public static NrtArray<T>? FromNative<T>(nint descriptor, nint decrefFunction, T[]? original) where T : unmanaged
    {
        if (original is not null)
            return new NrtArray<T>(original);
        if (descriptor == 0)
            return null;
        nint owner = *(nint*)(descriptor + DescriptorLayout.Owner);
        if (DescriptorLayout.StaticArray(descriptor) is T[] pinned)
            return new NrtArray<T>(pinned);
        if (DescriptorLayout.AdoptedArray(descriptor) is T[] adopted)
        {
            ((delegate* unmanaged<nint, void>)decrefFunction)(owner);
            return new NrtArray<T>(adopted);
        }
        T* elements = *(T**)(descriptor + DescriptorLayout.Data);
        long length = *(long*)(descriptor + DescriptorLayout.Length);
        return new NrtArray<T>(owner, elements, checked((int)length), (delegate* unmanaged<nint, void>)decrefFunction);
    }
}
