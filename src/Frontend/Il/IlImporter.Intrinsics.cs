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

    /// <summary>The value of a constant defined in the current block (a literal argument), or null.</summary>
    long? ConstantOf(ValueId value) =>
        current.Instructions.LastOrDefault(i => i.Result == value) is { Op: Opcode.Const } constant && !constant.Type.IsFloat ? constant.Constant : null;
}
