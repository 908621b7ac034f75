using System.Runtime.InteropServices;
using Targets.Runtime;

namespace Targets;

/// <summary>
/// Routes NRT allocations through your own functions (Numba's <c>NRT_ExternalAllocator</c>):
/// for tests that make allocation fail on demand, or to account memory elsewhere. Each MemInfo
/// remembers the allocator that made it, so memory is always returned to its own allocator.
/// Disposing restores the C library allocator for new allocations.
/// </summary>
public sealed unsafe class ExternalAllocator : IDisposable
{
    static readonly Lock Gate = new();
    static ExternalAllocator? current;
    readonly nint* table;
    bool disposed;

    /// <param name="malloc"><c>void* malloc(nint size, void* opaque)</c>; return null to fail.</param>
    /// <param name="free"><c>void free(void* p, void* opaque)</c>.</param>
    /// <param name="opaque">Passed back to both.</param>
    public ExternalAllocator(delegate* unmanaged<nint, nint, nint> malloc, delegate* unmanaged<nint, nint, void> free, nint opaque = 0)
    {
        if (malloc == null || free == null)
            throw new ArgumentException("Expected both a malloc and a free function.");
        // The table outlives this object: MemInfos made through it keep pointing at it.
        table = (nint*)NativeMemory.Alloc((nuint)(3 * sizeof(nint)));
        table[0] = (nint)malloc;
        table[1] = (nint)free;
        table[2] = opaque;
        lock (Gate)
        {
            if (current is not null)
                throw new InvalidOperationException("Another ExternalAllocator is installed; dispose it first.");
            current = this;
            Volatile.Write(ref NrtState.Pointer[NrtState.Allocator], (long)table);
        }
    }

    public void Dispose()
    {
        lock (Gate)
        {
            if (disposed)
                return;
            disposed = true;
            current = null;
            Volatile.Write(ref NrtState.Pointer[NrtState.Allocator], 0);
        }
    }
}
