using System.Runtime.InteropServices;
using ILGPU;
using ILGPU.Runtime;
using Targets.Cuda.Device;

namespace Targets.Cuda;

/// <summary>
/// An array in a CUDA device's memory: passed to kernels with no copy (where a <c>T[]</c> argument
/// is copied in and back around every launch). Made by <see cref="CudaTarget.Allocate{T}(long)"/>
/// or <see cref="CudaTarget.ToDevice{T}(T[])"/>; its ILGPU buffer and view (<see cref="Buffer"/>,
/// <see cref="View"/>) are what ILGPU kernels take, so data moves between the two without copies.
/// </summary>
public sealed class DeviceArray<T> : IDisposable, IDeviceArray where T : unmanaged
{
    internal DeviceArray(MemoryBuffer1D<T, Stride1D.Dense> buffer) => Buffer = buffer;

    /// <summary>The ILGPU buffer holding the elements.</summary>
    public MemoryBuffer1D<T, Stride1D.Dense> Buffer { get; }

    /// <summary>The ILGPU view of the elements.</summary>
    public ArrayView1D<T, Stride1D.Dense> View => Buffer.View;

    public long Length => Buffer.Length;

    /// <summary>Copies <paramref name="source"/> (of <see cref="Length"/> elements) to the device.</summary>
    public void CopyFrom(T[] source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.LongLength != Length)
            throw new ArgumentException($"Expected {Length} elements, got {source.LongLength}.", nameof(source));
        Buffer.View.BaseView.CopyFromCPU(source);
    }

    /// <summary>The elements, copied back to a new .NET array.</summary>
    public T[] ToArray()
    {
        var result = new T[Length];
        Buffer.View.BaseView.CopyToCPU(result);
        return result;
    }

    nint IDeviceArray.DevicePointer => Buffer.NativePtr;

    public void Dispose() => Buffer.Dispose();
}
