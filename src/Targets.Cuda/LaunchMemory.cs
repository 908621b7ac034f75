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

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected abstract void Dispose(bool disposing);
}
