using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ILGPU;
using ILGPU.Runtime;

namespace Targets.Cuda.Device;

/// <summary>The device's <see cref="LaunchMemory"/>: .NET arrays copied in before the launch and back after it.</summary>
internal sealed unsafe class DeviceMemory(DeviceSession session) : LaunchMemory
{
    readonly List<(MemoryBuffer1D<byte, Stride1D.Dense> Buffer, Array? Array, long Bytes)> buffers = [];

    /// <summary>
    /// The bytes of an array's elements (not Marshal.SizeOf: that is 4 for bool and 1 for char, and
    /// describes a struct's marshalled layout): a struct's size is the runtime's (ManagedLayout).
    /// </summary>
    static long SizeOf(Array array) => array.GetType().GetElementType() is { IsPrimitive: false, IsEnum: false, IsValueType: true } element
        ? array.LongLength * Frontend.Il.ManagedLayout.Of(element).Size
        : Buffer.ByteLength(array);

    public override nint Array(Array array)
    {
        ArgumentNullException.ThrowIfNull(array);
        long bytes = SizeOf(array);
        MemoryBuffer1D<byte, Stride1D.Dense> buffer = session.Allocate(bytes);
        buffers.Add((buffer, array, bytes));
        GCHandle pin = GCHandle.Alloc(array, GCHandleType.Pinned);
        try
        {
            session.Copy(buffer.NativePtr, (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array)), bytes);
        }
        finally
        {
            pin.Free();
        }
        return buffer.NativePtr;
    }

    public override nint Bytes(ReadOnlySpan<byte> bytes)
    {
        MemoryBuffer1D<byte, Stride1D.Dense> buffer = session.Allocate(bytes.Length);
        buffers.Add((buffer, null, bytes.Length));
        fixed (byte* source = bytes)
            session.Copy(buffer.NativePtr, (nint)source, bytes.Length);
        return buffer.NativePtr;
    }

    public override nint Zeroed(int count) => Bytes(new byte[count]);

    public override nint ErrorSlot() => session.ZeroedErrorSlot(Lowering.CudaEntry.ErrorSlotSize);

    public override void Read(nint source, Span<byte> into)
    {
        fixed (byte* target = into)
            session.Copy((nint)target, source, into.Length);
    }

    /// <summary>Reads a message string from the module's constants on the device, 64 bytes at a time.</summary>
    public override string? ReadString(nint address)
    {
        var text = new List<byte>();
        Span<byte> chunk = stackalloc byte[64];
        for (int read = 0; read < 4096; read += chunk.Length)
        {
            try
            {
                Read(address + read, chunk);
            }
            catch (InvalidOperationException)
            {
                break; // past the end of the module's memory: keep what was read
            }
            int end = chunk.IndexOf((byte)0);
            text.AddRange(end < 0 ? chunk.ToArray() : chunk[..end].ToArray());
            if (end >= 0)
                break;
        }
        return System.Text.Encoding.UTF8.GetString(text.ToArray());
    }

    public override void CopyBack()
    {
        foreach ((MemoryBuffer1D<byte, Stride1D.Dense> buffer, Array? array, long bytes) in buffers)
        {
            if (array is null)
                continue;
            GCHandle pin = GCHandle.Alloc(array, GCHandleType.Pinned);
            try
            {
                session.Copy((nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array)), buffer.NativePtr, bytes);
            }
            finally
            {
                pin.Free();
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        foreach (var entry in buffers)
            entry.Buffer.Dispose();
        buffers.Clear();
    }
}
