using System.Globalization;
using Targets.Cuda.Lowering;
using Targets.Frontend;
using Targets.Frontend.Il;
using Targets.Frontend.Ir;
using Targets.Llvm.Lowering;

namespace Targets.Cuda;

/// <summary>
/// The host side of the kernel ABI (<see cref="CudaEntry"/>): checks each argument against the
/// entry's parameter (exact array types, implicit numeric conversions as C# makes them, a jit
/// class box of the parameter's class with numeric fields only), flattens it into 8-byte slots
/// through a <see cref="LaunchMemory"/>, and after the launch turns the error slot into the
/// exception compiled code raised, with the block and thread that raised it, and a function's
/// result buffer into its .NET value.
/// </summary>
internal static class KernelArguments
{
    /// <summary>
    /// The flattened slots of <paramref name="args"/> for the parameters of <paramref name="entry"/> after
    /// its index. A struct's slot holds the address of its bytes, passed by value: its index in the
    /// returned list is added to <paramref name="byValue"/> (the device launch hands the driver that
    /// address itself, not the slot's).
    /// </summary>
    /// <exception cref="ArgumentException">An argument does not fit its parameter; the message names it.</exception>
    public static List<long> Flatten(string name, IrFunction entry, CudaEntry shape, object?[] args, LaunchMemory memory, LayoutContext layouts,
        ICollection<int> byValue, Func<object, (nint Data, long Length)?>? deviceArray = null)
    {
        ArgumentNullException.ThrowIfNull(byValue);
        List<IrType> parameters = entry.ParameterTypes.Skip(shape.IndexParameters).ToList();
        System.Reflection.ParameterInfo[] declared = entry.Method is { } m ? FunctionArguments.ValueParameters(m).Skip(shape.Kind == CudaEntryKind.Index ? 1 : 0).ToArray() : [];
        string[] names = declared.Select(p => p.Name ?? "?").ToArray();
        if (args.Length != parameters.Count)
            throw new ArgumentException($"{name} takes {parameters.Count} argument(s){(shape.Kind == CudaEntryKind.Index ? " after its index" : "")}, got {args.Length}.", nameof(args));
        var slots = new List<long>();
        for (int n = 0; n < parameters.Count; n++)
        {
            IrType type = parameters[n];
            object? arg = args[n];
            string what = $"{name}: argument '{(n < names.Length ? names[n] : n.ToString(CultureInfo.InvariantCulture))}'";
            if (type.Kind == IrTypeKind.Array)
                Array(what, type, arg, shape, memory, slots, deviceArray);
            else if (type.Kind == IrTypeKind.Instance)
                slots.Add(arg is null && shape.Kind != CudaEntryKind.Function
                    ? throw new ArgumentNullException(nameof(args), $"{what} must be a {type.JitClass!.Name}, got null.")
                    : Instance(what, type, arg, memory, layouts));
            else if (type.IsScalar)
                slots.Add(Scalar(what, type, Underlying(arg, n < declared.Length ? declared[n].ParameterType : null)));
            else if (type.Kind == IrTypeKind.Aggregate)
            {
                byValue.Add(slots.Count);
                slots.Add(Struct(what, type, arg, memory));
            }
            else
                throw new ArgumentException($"{what}: a {type} cannot be passed to a kernel (ref/out parameters stay on the host).", nameof(args));
        }
        return slots;
    }

    static void Array(string what, IrType type, object? arg, CudaEntry shape, LaunchMemory memory, List<long> slots, Func<object, (nint Data, long Length)?>? deviceArray)
    {
        Type expected = TypeMapper.ToClr(type);
        if (arg is not null && deviceArray?.Invoke(arg) is { } device)
        {
            if (type.Rank != 1 || arg.GetType().GetGenericArguments() is not [var element, ..] || element != expected.GetElementType())
                throw new ArgumentException($"{what} must be {expected.Name}; got {arg.GetType().Name}.", nameof(arg));
            slots.AddRange([device.Data, device.Length]);
            return;
        }
        if (arg is null)
        {
            // Only a function (Invoke) may get null, which it sees as null (length −1 marks it); a kernel's threads would all fail.
            if (shape.Kind != CudaEntryKind.Function)
                throw new ArgumentNullException(nameof(arg), $"{what} must be a {expected.Name}, got null.");
            slots.AddRange([0, -1, .. Enumerable.Repeat(0L, CudaEntry.Flattened(type) - 2)]);
            return;
        }
        if (arg.GetType() != expected)
            throw new ArgumentException($"{what} must be {expected.Name}, got {arg.GetType().Name}.", nameof(arg));
        var array = (System.Array)arg;
        if (type.Element!.Kind == IrTypeKind.Instance)
            throw new ArgumentException($"{what}: arrays of jit class instances cannot be passed to cuda kernels yet.", nameof(arg));
        slots.Add(array.Length == 0 ? 0 : memory.Array(array));
        slots.Add(array.LongLength);
        for (int d = 0; type.Rank > 1 && d < type.Rank; d++)
            slots.Add(array.GetLongLength(d));
    }

    /// <summary>
    /// An immutable instance for the device: a jit class box (its bytes are copied) or a plain .NET
    /// object of the class (its fields are written at the layout's offsets).
    /// </summary>
    static unsafe long Instance(string what, IrType type, object? arg, LaunchMemory memory, LayoutContext layouts)
    {
        if (arg is null)
            return 0;
        JitClassType layout = layouts.Layout(type.JitClass!);
        if (layout.Fields.FirstOrDefault(f => !f.Type.IsScalar) is { } field)
            throw new ArgumentException($"{what}: {layout.Name}.{field.Name} is a {field.Type.Name}; on cuda a jit class instance is passed by value with numeric fields only (array and instance fields are not supported yet).", nameof(arg));
        if (arg.GetType() == type.JitClass)
        {
            byte[] bytes = new byte[layout.Size];
            foreach (JitField f in layout.Fields)
                WriteScalar(bytes.AsSpan(f.Offset, f.Type.Size), f.Field.GetValue(arg)!);
            return memory.Bytes(bytes);
        }
        if (arg is not JitObject box || box.Type.ClrType != type.JitClass)
            throw new ArgumentException($"{what} must be a {layout.Name} (the .NET object, or a JitObject box of it), got {arg.GetType().Name}.", nameof(arg));
        if (!LayoutContext.SameLayout(box.Type, layout))
            throw new ArgumentException($"{what}: the box is laid out as {box.Type}, the kernel was compiled for {layout}.", nameof(arg));
        return memory.Bytes(new ReadOnlySpan<byte>((void*)box.DataPointer, layout.Size));
    }

    /// <summary>A struct for the device: its bytes (its .NET layout, which is the aggregate's) in host memory, passed by value (the kernel's <c>.param</c> space).</summary>
    static long Struct(string what, IrType type, object? arg, LaunchMemory memory)
    {
        Type expected = TypeMapper.ToClr(type);
        if (arg is null || arg.GetType() != expected)
            throw new ArgumentException($"{what} must be {expected.Name}, got {(arg is null ? "null" : arg.GetType().Name)}.", nameof(arg));
        byte[] bytes = (byte[])BytesOfMethod.MakeGenericMethod(expected).Invoke(null, [arg])!;
        return memory.ParameterBytes(bytes);
    }

    static readonly System.Reflection.MethodInfo BytesOfMethod = typeof(KernelArguments).GetMethod(nameof(BytesOf), System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic)!;

    static byte[] BytesOf<T>(object boxed)
        where T : unmanaged
    {
        T value = (T)boxed;
        return System.Runtime.InteropServices.MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in value)).ToArray();
    }

    static void WriteScalar(Span<byte> into, object value)
    {
        switch (value)
        {
            case bool v: into[0] = v ? (byte)1 : (byte)0; break;
            case float v: BitConverter.TryWriteBytes(into, v); break;
            case double v: BitConverter.TryWriteBytes(into, v); break;
            case char v: BitConverter.TryWriteBytes(into, v); break;
            default:
                long bits = value is ulong u ? unchecked((long)u) : value is nuint n ? unchecked((long)n) : value is nint i ? i : System.Convert.ToInt64(value, CultureInfo.InvariantCulture);
                BitConverter.GetBytes(bits).AsSpan(0, into.Length).CopyTo(into);
                break;
        }
    }

    /// <summary>An enum argument of the parameter's enum type as its underlying integer (what compiled code holds); anything else as it is.</summary>
    static object? Underlying(object? arg, Type? declared) =>
        declared is { IsEnum: true } && arg?.GetType() == declared ? System.Convert.ChangeType(arg, Enum.GetUnderlyingType(declared), CultureInfo.InvariantCulture) : arg;

    static long Scalar(string what, IrType type, object? arg)
    {
        Type expected = TypeMapper.ToClr(type);
        if (arg is not null && arg.GetType() != expected && arg.GetType().IsPrimitive && ImplicitConversion.Exists(arg.GetType(), expected))
            arg = ImplicitConversion.Convert(arg, expected); // as C# passes 2 for a float
        if (arg is null || arg.GetType() != expected)
            throw new ArgumentException($"{what} must be {expected.Name}, got {(arg is null ? "null" : arg.GetType().Name)}.", nameof(arg));
        return arg switch
        {
            bool v => v ? 1 : 0,
            char v => v,
            float v => BitConverter.SingleToInt32Bits(v),
            double v => BitConverter.DoubleToInt64Bits(v),
            ulong v => unchecked((long)v),
            nint v => v,
            nuint v => unchecked((long)v),
            _ => System.Convert.ToInt64(arg, CultureInfo.InvariantCulture),
        };
    }

    /// <summary>The function's result from its 8-byte buffer (the value type of its return, see <see cref="CudaEntry"/>).</summary>
    public static object? Result(IrType type, ReadOnlySpan<byte> bytes)
    {
        int i32 = BitConverter.ToInt32(bytes);
        long i64 = BitConverter.ToInt64(bytes);
        return type.Kind switch
        {
            IrTypeKind.Void => null,
            IrTypeKind.Bool => i32 != 0,
            IrTypeKind.Char => (char)i32,
            IrTypeKind.I8 => (sbyte)i32,
            IrTypeKind.U8 => (byte)i32,
            IrTypeKind.I16 => (short)i32,
            IrTypeKind.U16 => (ushort)i32,
            IrTypeKind.I32 => i32,
            IrTypeKind.U32 => (uint)i32,
            IrTypeKind.I64 => i64,
            IrTypeKind.U64 => (ulong)i64,
            IrTypeKind.NInt => (nint)i64,
            IrTypeKind.NUInt => (nuint)(ulong)i64,
            IrTypeKind.F32 => BitConverter.Int32BitsToSingle(i32),
            IrTypeKind.F64 => BitConverter.Int64BitsToDouble(i64),
            _ => throw new InvalidOperationException($"a {type} result cannot come back from the device"),
        };
    }

    /// <summary>
    /// The exception the error slot holds, or null when no thread raised. For a kernel the message
    /// names the block and thread (the original exception is the inner one); a function's is .NET's own.
    /// </summary>
    public static Exception? Error(LaunchMemory memory, nint slot, CudaEntry shape)
    {
        byte[] bytes = new byte[CudaEntry.ErrorSlotSize];
        memory.Read(slot, bytes.AsSpan(0, 4)); // the flag alone, the common case
        if (BitConverter.ToInt32(bytes, CudaEntry.ErrorFlag) == 0)
            return null;
        memory.Read(slot, bytes);
        Exception raised = ExceptionRecord.Create(bytes.AsSpan(CudaEntry.ErrorRecord, NativeAbi.ExceptionRecordSize), memory.ReadString);
        if (shape.Kind == CudaEntryKind.Function)
            return raised;
        int At(int offset) => BitConverter.ToInt32(bytes, offset);
        var block = new Dim3(At(CudaEntry.ErrorBlock), At(CudaEntry.ErrorBlock + 4), At(CudaEntry.ErrorBlock + 8));
        var thread = new Dim3(At(CudaEntry.ErrorThread), At(CudaEntry.ErrorThread + 4), At(CudaEntry.ErrorThread + 8));
        string message = $"{raised.Message} (raised in a kernel by block {block}, thread {thread})";
        Exception located = raised.GetType().GetConstructor([typeof(string), typeof(Exception)]) is { } ctor
            ? (Exception)ctor.Invoke([message, raised]) : raised;
        located.Data["Cuda.Block"] = block;
        located.Data["Cuda.Thread"] = thread;
        return located;
    }
}
