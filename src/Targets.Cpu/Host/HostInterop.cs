using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Targets.Frontend.Ir;
using Targets.Llvm.Lowering;

namespace Targets.Cpu.Host;

/// <summary>
/// What the generated host stubs call back into: turning an exception record into the .NET
/// exception, and arrays made by compiled code into .NET arrays. Public only so stubs emitted
/// into dynamic methods can bind to it; not part of the supported API.
/// </summary>
public static unsafe class HostInterop
{
    /// <summary>The exception a compiled function raised, from its record (see <see cref="NativeAbi"/>).</summary>
    public static Exception CreateException(nint record)
    {
        byte* r = (byte*)record;
        int typeIndex = *(int*)(r + NativeAbi.ExceptionType);
        var format = (NativeAbi.ExceptionFormatKind)(*(int*)(r + NativeAbi.ExceptionFormat));
        nint argument = *(nint*)(r + NativeAbi.ExceptionArgument);
        long a = *(long*)(r + NativeAbi.ExceptionValueA), b = *(long*)(r + NativeAbi.ExceptionValueB);
        if (typeIndex < 0 || typeIndex >= RaiseInfo.Types.Count)
            return new InvalidOperationException($"compiled code raised an unknown exception type {typeIndex}");
        return format switch
        {
            NativeAbi.ExceptionFormatKind.Constant => new RaiseInfo(typeIndex, argument == 0 ? null : Marshal.PtrToStringUTF8(argument)).Create(),
            // Math.Clamp's message, formatted as .NET formats it (current culture).
            NativeAbi.ExceptionFormatKind.ClampSigned => ClampError(a, b),
            NativeAbi.ExceptionFormatKind.ClampUnsigned => ClampError((ulong)a, (ulong)b),
            NativeAbi.ExceptionFormatKind.ClampDouble => ClampError(BitConverter.Int64BitsToDouble(a), BitConverter.Int64BitsToDouble(b)),
            NativeAbi.ExceptionFormatKind.ClampSingle => ClampError((float)BitConverter.Int64BitsToDouble(a), (float)BitConverter.Int64BitsToDouble(b)),
            _ => new InvalidOperationException($"compiled code raised with an unknown message format {format}"),
        };
    }

    static ArgumentException ClampError<T>(T min, T max) =>
        new(string.Format(CultureInfo.CurrentCulture, "'{0}' cannot be greater than {1}.", min, max));

    /// <summary>
    /// A .NET array with the contents of an array compiled code created (then freed), or null.
    /// Arrays that came from .NET are mapped back by the stub before this is called.
    /// </summary>
    public static T[]? TakeVector<T>(nint descriptor) where T : unmanaged
    {
        if (descriptor == 0)
            return null;
        byte* d = (byte*)descriptor;
        long length = *(long*)(d + NativeAbi.DescriptorLength);
        var result = new T[length];
        CopyAndFree(d, ref Unsafe.As<T, byte>(ref MemoryMarshal.GetArrayDataReference(result)), length * sizeof(T));
        return result;
    }

    /// <summary>As <see cref="TakeVector{T}"/> for arrays of rank 2 and more.</summary>
    public static Array? TakeArray<T>(nint descriptor, int rank) where T : unmanaged
    {
        if (descriptor == 0)
            return null;
        byte* d = (byte*)descriptor;
        var lengths = new int[rank];
        for (int n = 0; n < rank; n++)
            lengths[n] = (int)*(long*)(d + NativeAbi.DescriptorDimensions + 8 * n);
        var result = Array.CreateInstance(typeof(T), lengths);
        long length = *(long*)(d + NativeAbi.DescriptorLength);
        CopyAndFree(d, ref MemoryMarshal.GetArrayDataReference(result), length * sizeof(T));
        return result;
    }

    static void CopyAndFree(byte* descriptor, ref byte destination, long bytes)
    {
        byte* data = *(byte**)(descriptor + NativeAbi.DescriptorData);
        void* owner = *(void**)(descriptor + NativeAbi.DescriptorOwner);
        fixed (byte* to = &destination)
            Buffer.MemoryCopy(data, to, bytes, bytes);
        // The allocation came from calloc in compiled code; NativeMemory.Free is free().
        if (owner != null)
            NativeMemory.Free(owner);
    }
}
