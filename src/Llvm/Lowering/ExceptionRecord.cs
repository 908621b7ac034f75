using System.Globalization;
using Targets.Frontend.Ir;

namespace Targets.Llvm.Lowering;

/// <summary>
/// Turns an exception record (<see cref="NativeAbi"/>) that compiled code filled into the .NET
/// exception it stands for: same type, same constructor, same message as .NET would throw. Every
/// target reads records the same way; only where the argument string lives differs (host memory,
/// or device memory read back), so the caller says how to read it.
/// </summary>
public static class ExceptionRecord
{
    /// <param name="record">The record's <see cref="NativeAbi.ExceptionRecordSize"/> bytes.</param>
    /// <param name="readString">Reads the NUL-terminated UTF-8 string at an address the record holds (never called with 0).</param>
    /// <param name="unresolved">The exception for <see cref="NativeAbi.ExceptionFormatKind.Unresolved"/> (callee tokens are the host's).</param>
    public static Exception Create(ReadOnlySpan<byte> record, Func<nint, string?> readString, Func<long, Exception>? unresolved = null)
    {
        ArgumentNullException.ThrowIfNull(readString);
        if (record.Length < NativeAbi.ExceptionRecordSize)
            throw new ArgumentException($"Expected an exception record of {NativeAbi.ExceptionRecordSize} bytes, got {record.Length}.", nameof(record));
        int typeIndex = BitConverter.ToInt32(record[NativeAbi.ExceptionType..]);
        var format = (NativeAbi.ExceptionFormatKind)BitConverter.ToInt32(record[NativeAbi.ExceptionFormat..]);
        nint argument = (nint)BitConverter.ToInt64(record[NativeAbi.ExceptionArgument..]);
        long a = BitConverter.ToInt64(record[NativeAbi.ExceptionValueA..]), b = BitConverter.ToInt64(record[NativeAbi.ExceptionValueB..]);
        string? Argument() => argument == 0 ? null : readString(argument);
        if (format == NativeAbi.ExceptionFormatKind.Constructed)
        {
            string descriptor = Argument() ?? "";
            var values = new long[NativeAbi.ExceptionValueCount];
            for (int n = 0; n < values.Length; n++)
                values[n] = BitConverter.ToInt64(record[(NativeAbi.ExceptionValueA + 8 * n)..]);
            return ExceptionConstructor.Create(descriptor, values, TextOf)
                ?? new InvalidOperationException($"compiled code raised an exception whose constructor cannot be found: {descriptor}");
        }
        if (typeIndex < 0 || typeIndex >= RaiseInfo.Types.Count)
            return new InvalidOperationException($"compiled code raised an unknown exception type {typeIndex}");
        return format switch
        {
            NativeAbi.ExceptionFormatKind.Constant => new RaiseInfo(typeIndex, Argument()).Create(),
            // Math.Clamp's message, formatted as .NET formats it (current culture).
            NativeAbi.ExceptionFormatKind.ClampSigned => ClampError(a, b),
            NativeAbi.ExceptionFormatKind.ClampUnsigned => ClampError((ulong)a, (ulong)b),
            NativeAbi.ExceptionFormatKind.ClampDouble => ClampError(BitConverter.Int64BitsToDouble(a), BitConverter.Int64BitsToDouble(b)),
            NativeAbi.ExceptionFormatKind.ClampSingle => ClampError((float)BitConverter.Int64BitsToDouble(a), (float)BitConverter.Int64BitsToDouble(b)),
#pragma warning disable CA2201 // the exception .NET itself throws for a failed allocation
            NativeAbi.ExceptionFormatKind.OutOfMemory => new OutOfMemoryException($"NRT could not allocate {a} bytes."),
#pragma warning restore CA2201
            NativeAbi.ExceptionFormatKind.Unresolved when unresolved is not null => unresolved(a),
            NativeAbi.ExceptionFormatKind.InvalidCast => new InvalidCastException(
                $"Unable to cast object of type '{ClassIdentity.NameOf(a)}' to type '{ClassIdentity.NameOf(b)}'."),
            _ => new InvalidOperationException($"compiled code raised with an unknown message format {format}"),
        };
    }

    static ArgumentException ClampError<T>(T min, T max) =>
        new(string.Format(CultureInfo.CurrentCulture, "'{0}' cannot be greater than {1}.", min, max));

    /// <summary>The characters a string's descriptor views (a runtime exception argument: the call that raised still lends its strings).</summary>
    static unsafe string TextOf(nint descriptor) =>
        new(*(char**)(descriptor + NativeAbi.DescriptorData), 0, checked((int)*(long*)(descriptor + NativeAbi.DescriptorLength)));
}
