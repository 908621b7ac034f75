using System.Reflection;
using Targets.Frontend.Ir;

namespace Targets.Frontend.Il;

/// <summary>
/// Calls to <see cref="Cuda.Cuda"/> and <see cref="Atomic"/> become <see cref="Opcode.Intrinsic"/>
/// instructions: grid coordinates, the block barrier, shared arrays and warp shuffles (which only a
/// target with a grid lowers), and atomic read-modify-write of an array element (every target). A shared array's
/// length must be a constant, and an atomic's element type one the hardware has the operation for;
/// anything else is a <see cref="CompilationException"/> naming it.
/// </summary>
internal sealed partial class IlImporter
{
    static bool IsIntrinsicType(Type? type) =>
        type == typeof(Atomic) || type == typeof(Cuda.Cuda) || type?.DeclaringType == typeof(Cuda.Cuda);

    void IntrinsicCall(MethodBase callee)
    {
        if (callee.DeclaringType == typeof(Atomic))
        {
            AtomicCall((MethodInfo)callee);
            return;
        }
        if (callee.Name == nameof(Cuda.Cuda.SyncThreads))
        {
            Emit(Opcode.Intrinsic, IrType.Void, [], intrinsic: IntrinsicKind.SyncThreads);
            return;
        }
        if (callee.Name == nameof(Cuda.Cuda.SharedArray))
        {
            SharedArray((MethodInfo)callee);
            return;
        }
        if (callee.Name is nameof(Cuda.Cuda.ShuffleDown) or nameof(Cuda.Cuda.ShuffleXor) or nameof(Cuda.Cuda.Shuffle))
        {
            IrType type = types.Map(((MethodInfo)callee).ReturnType)!;
            ValueId lane = Pop(), value = Pop();
            IntrinsicKind shuffle = callee.Name switch
            {
                nameof(Cuda.Cuda.ShuffleDown) => IntrinsicKind.ShuffleDown,
                nameof(Cuda.Cuda.ShuffleXor) => IntrinsicKind.ShuffleXor,
                _ => IntrinsicKind.ShuffleIndex,
            };
            Push(Emit(Opcode.Intrinsic, type.StackType, [value, lane], target: type, intrinsic: shuffle));
            return;
        }
        // Cuda.ThreadIdx.X and the like: a getter of a nested class.
        string coordinate = callee.DeclaringType!.Name + callee.Name.Replace("get_", "", StringComparison.Ordinal);
        if (!Enum.TryParse(coordinate, out IntrinsicKind kind) || !IntrinsicInfo.IsCoordinate(kind))
            throw Unsupported($"Cuda.{callee.DeclaringType.Name}.{callee.Name}", "not a CUDA built-in the compiler knows");
        Push(Emit(Opcode.Intrinsic, IrType.I32, [], intrinsic: kind));
    }

    void SharedArray(MethodInfo callee)
    {
        Type element = callee.GetGenericArguments()[0];
        IrType? type = types.Map(element);
        ValueId length = Pop();
        if (type is null || !type.IsScalar && type.Kind != IrTypeKind.Aggregate)
            throw Unsupported($"Cuda.SharedArray<{element.Name}>", types.WhyNot(element) ?? "shared arrays hold numbers and structs of numbers");
        if (ConstantOf(length) is not { } count || count <= 0 || count * type.Size > 48 * 1024)
            throw Unsupported("Cuda.SharedArray with a length that is not a positive constant",
                "a shared array's size is fixed when the kernel is compiled (at most 48 KB a block): pass a literal or a const, e.g. Cuda.SharedArray<float>(256)");
        Push(Emit(Opcode.Intrinsic, types.ArrayOf(type, 1), [], target: type, constant: count, intrinsic: IntrinsicKind.SharedArray));
    }

    void AtomicCall(MethodInfo callee)
    {
        IrType element = types.Map(callee.ReturnType)!;
        IntrinsicKind kind = Enum.Parse<IntrinsicKind>("Atomic" + callee.Name);
        var operands = new ValueId[IntrinsicInfo.Arity(kind)];
        for (int a = operands.Length - 1; a >= 0; a--)
            operands[a] = Pop();
        Push(Emit(Opcode.Intrinsic, element.StackType, operands, target: element, intrinsic: kind));
    }

    internal static readonly string[] InterlockedNames =
        [nameof(Interlocked.Add), nameof(Interlocked.Increment), nameof(Interlocked.Decrement), nameof(Interlocked.Exchange), nameof(Interlocked.CompareExchange)];

    static bool IsInterlocked(MethodBase callee) => callee.DeclaringType == typeof(Interlocked) && InterlockedNames.Contains(callee.Name);

    /// <summary>
    /// <c>Interlocked.Add/Increment/Decrement/Exchange/CompareExchange(ref a[i], …)</c> on an element of an array of
    /// numbers: the atomic of <see cref="Atomic"/> on the element the byref came from (<c>ldelema</c>, which checked the
    /// index as .NET does), giving what Interlocked gives (the new value of an add, the old one of an exchange).
    /// </summary>
    void InterlockedCall(MethodInfo callee)
    {
        ParameterInfo[] parameters = callee.GetParameters();
        var values = new ValueId[parameters.Length - 1];
        for (int a = values.Length - 1; a >= 0; a--)
            values[a] = Pop();
        ValueId location = Pop();
        IrType element = types.Map(callee.ReturnType)!;
        if (current.Instructions.LastOrDefault(i => i.Result == location) is not { Op: Opcode.ElementAddress, Operands: [ValueId array, ValueId index] }
            || !element.IsScalar || TypeOf(array).Element != element)
            throw Unsupported($"Interlocked.{callee.Name} on a {TypeOf(location)} that is not an element of an array of numbers",
                "compiled code does atomics on array elements (Interlocked.Add(ref a[i], v)); a field or a local is not shared between threads there");
        ValueId Atomic(IntrinsicKind kind, params ValueId[] operands) =>
            Emit(Opcode.Intrinsic, element.StackType, [array, index, .. operands], target: element, intrinsic: kind, boundsChecked: false);
        ValueId Constant(long value) => Emit(Opcode.Const, element.StackType, [], constant: value);
        switch (callee.Name)
        {
            case nameof(Interlocked.Add):
                Push(Emit(Opcode.Add, element.StackType, [Atomic(IntrinsicKind.AtomicAdd, values[0]), values[0]]));
                return;
            case nameof(Interlocked.Increment) or nameof(Interlocked.Decrement):
                {
                    ValueId step = Constant(callee.Name == nameof(Interlocked.Increment) ? 1 : -1);
                    Push(Emit(Opcode.Add, element.StackType, [Atomic(IntrinsicKind.AtomicAdd, step), step]));
                    return;
                }
            case nameof(Interlocked.Exchange):
                Push(Atomic(IntrinsicKind.AtomicExchange, values[0]));
                return;
            default: // CompareExchange(ref location, value, comparand)
                Push(Atomic(IntrinsicKind.AtomicCompareExchange, values[0], values[1]));
                return;
        }
    }

    /// <summary>The value of a constant defined in the current block (a literal argument), or null.</summary>
    long? ConstantOf(ValueId value) =>
        current.Instructions.LastOrDefault(i => i.Result == value) is { Op: Opcode.Const } constant && !constant.Type.IsFloat ? constant.Constant : null;
}
