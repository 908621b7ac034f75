namespace Targets.Cuda;

/// <summary>
/// Where a launch's arguments live while the kernel runs: the simulator lends the host's memory
/// (pinned arrays, no copy); the device copies arrays in, and back out after the launch. Addresses
/// it returns are the executing side's. Disposing releases everything the launch made.
/// </summary>
internal abstract class LaunchMemory : IDisposable
{
    /// <summary>The data of a .NET array for the kernel (rank 1 or more, elements in row-major order).</summary>
    public abstract nint Array(Array array);

    /// <summary>A copy of <paramref name="bytes"/> (an immutable jit-class instance).</summary>
    public abstract nint Bytes(ReadOnlySpan<byte> bytes);

    readonly List<nint> parameterBytes = [];

    /// <summary>
    /// A host copy of a struct passed by value (the kernel's <c>.param</c> space): the driver copies it
    /// into the launch from this address, the simulator's kernel reads it there. Freed with the launch memory.
    /// </summary>
    public unsafe nint ParameterBytes(ReadOnlySpan<byte> bytes)
    {
        nint memory = (nint)System.Runtime.InteropServices.NativeMemory.AlignedAlloc((nuint)Math.Max(bytes.Length, 16), 16);
        parameterBytes.Add(memory);
        bytes.CopyTo(new Span<byte>((void*)memory, bytes.Length));
        return memory;
    }

    /// <summary><paramref name="count"/> zeroed bytes (the error slot, a result).</summary>
    public abstract nint Zeroed(int count);

    /// <summary>The launch's error slot (<see cref="Lowering.CudaEntry.ErrorSlotSize"/> bytes), zeroed.</summary>
    public virtual nint ErrorSlot() => Zeroed(Lowering.CudaEntry.ErrorSlotSize);

    /// <summary>Reads back bytes the kernel wrote.</summary>
    public abstract void Read(nint source, Span<byte> into);

    /// <summary>A NUL-terminated UTF-8 string at an address compiled code holds (an exception's message), or null.</summary>
    public abstract string? ReadString(nint address);

    /// <summary>After the launch: what the kernel wrote into arrays goes back to the .NET arrays.</summary>
    public abstract void CopyBack();

    public unsafe void Dispose()
    {
        Dispose(true);
        foreach (nint memory in parameterBytes)
            System.Runtime.InteropServices.NativeMemory.AlignedFree((void*)memory);
        parameterBytes.Clear();
        GC.SuppressFinalize(this);
    }

    protected abstract void Dispose(bool disposing);
}
