using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Targets.Cuda.Simulator;

/// <summary>The simulator's <see cref="LaunchMemory"/>: .NET arrays pinned for the launch (the kernel writes them in place), other memory native.</summary>
internal sealed unsafe class SimulatorMemory : LaunchMemory
{
    readonly List<GCHandle> pinned = [];
    readonly List<nint> allocated = [];

    public override nint Array(Array array)
    {
        ArgumentNullException.ThrowIfNull(array);
        pinned.Add(GCHandle.Alloc(array, GCHandleType.Pinned));
        return (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
    }

    public override nint Bytes(ReadOnlySpan<byte> bytes)
    {
        nint memory = Zeroed(bytes.Length);
        bytes.CopyTo(new Span<byte>((void*)memory, bytes.Length));
        return memory;
    }

    public override nint Zeroed(int count)
    {
        nint memory = (nint)NativeMemory.AlignedAlloc((nuint)Math.Max(count, 16), 16);
        NativeMemory.Clear((void*)memory, (nuint)Math.Max(count, 16));
        allocated.Add(memory);
        return memory;
    }

    public override void Read(nint source, Span<byte> into) => new ReadOnlySpan<byte>((void*)source, into.Length).CopyTo(into);

    public override string? ReadString(nint address) => Marshal.PtrToStringUTF8(address);

    public override void CopyBack()
    {
    }

    protected override void Dispose(bool disposing)
    {
        foreach (GCHandle handle in pinned)
            handle.Free();
        pinned.Clear();
        foreach (nint memory in allocated)
            NativeMemory.AlignedFree((void*)memory);
        allocated.Clear();
    }
}
