using System.Reflection;
using Targets.Frontend.Ir;

namespace Targets.Frontend.Il;

/// <summary>
/// The table of .NET library members compiled code implements itself rather than from their IL,
/// because their bodies use runtime internals or hardware intrinsics: the bit reinterpretations of
/// <see cref="BitConverter"/> (a value stored and read back as another type of its size, which LLVM
/// folds to a bitcast), <see cref="System.Numerics.BitOperations"/>' counts and rotations (what generic
/// math's <c>IBinaryInteger</c> members call), <c>MultiplyAddEstimate</c> (fused, as .NET's JIT makes it
/// where the hardware has FMA) and <c>Math.ThrowMinMaxException</c> (what every <c>Clamp</c> raises).
/// A JIT intrinsic whose IL only calls itself and is not in this table is refused, never compiled
/// into endless recursion. The rest of the rule (which library members compile from IL) is in
/// IlImporter.Calls; System.Math/MathF are <see cref="Opcode.MathCall"/>s.
/// </summary>
internal sealed partial class IlImporter
{
    static bool IsLibraryIntrinsic(MethodBase callee) =>
        IsBitReinterpretation(callee) || BitFunction(callee) is not null || IsMultiplyAddEstimate(callee) || IsMinMaxThrow(callee);

    internal static readonly string[] BitReinterpretationNames =
    [
        nameof(BitConverter.DoubleToInt64Bits), nameof(BitConverter.DoubleToUInt64Bits), nameof(BitConverter.Int64BitsToDouble), nameof(BitConverter.UInt64BitsToDouble),
        nameof(BitConverter.SingleToInt32Bits), nameof(BitConverter.SingleToUInt32Bits), nameof(BitConverter.Int32BitsToSingle), nameof(BitConverter.UInt32BitsToSingle),
    ];

    internal static readonly string[] BitOperationNames =
    [
        nameof(System.Numerics.BitOperations.PopCount), nameof(System.Numerics.BitOperations.LeadingZeroCount), nameof(System.Numerics.BitOperations.Log2),
        nameof(System.Numerics.BitOperations.TrailingZeroCount), nameof(System.Numerics.BitOperations.RotateLeft), nameof(System.Numerics.BitOperations.RotateRight),
    ];

    static bool IsBitReinterpretation(MethodBase callee) =>
        callee.DeclaringType == typeof(BitConverter) && BitReinterpretationNames.Contains(callee.Name);

    /// <summary>The bit function a BitOperations member is (Log2 is derived from the leading zero count).</summary>
    static MathFunction? BitFunction(MethodBase callee) =>
        callee.DeclaringType != typeof(System.Numerics.BitOperations) || TypeMapper.Scalar(callee.GetParameters()[0].ParameterType) is not { IsFloat: false } ? null
        : callee.Name switch
        {
            nameof(System.Numerics.BitOperations.PopCount) => MathFunction.PopCount,
            nameof(System.Numerics.BitOperations.LeadingZeroCount) or nameof(System.Numerics.BitOperations.Log2) => MathFunction.LeadingZeroCount,
            nameof(System.Numerics.BitOperations.TrailingZeroCount) => MathFunction.TrailingZeroCount,
            nameof(System.Numerics.BitOperations.RotateLeft) => MathFunction.RotateLeft,
            nameof(System.Numerics.BitOperations.RotateRight) => MathFunction.RotateRight,
            _ => null,
        };

    static bool IsMultiplyAddEstimate(MethodBase callee) =>
        callee.Name == "MultiplyAddEstimate" && (callee.DeclaringType == typeof(double) || callee.DeclaringType == typeof(float));

    static bool IsMinMaxThrow(MethodBase callee) => callee.DeclaringType == typeof(Math) && callee.Name == "ThrowMinMaxException";

    void LibraryIntrinsic(MethodInfo callee)
    {
        IrType from = types.Map(callee.GetParameters()[0].ParameterType)!;
        if (BitFunction(callee) is { } bits)
        {
            BitCall(callee, bits, from);
            return;
        }
        if (IsMultiplyAddEstimate(callee))
        {
            ValueId addend = Pop(), right = Pop(), left = Pop();
            Push(Emit(Opcode.MathCall, from.StackType, [left, right, addend], math: MathFunction.FusedMultiplyAdd, target: from));
            return;
        }
        if (IsMinMaxThrow(callee))
        {
            // Only called when min > max: Clamp(min, min, max) raises exactly the exception .NET's helper throws.
            ValueId max = Pop(), min = Pop();
            Emit(Opcode.MathCall, from.StackType, [min, min, max], math: MathFunction.Clamp, target: from);
            return;
        }
        IrType to = types.Map(callee.ReturnType)!;
        int slot = TemporarySlot(from);
        Emit(Opcode.StoreSlot, IrType.Void, [Pop()], slot: slot);
        ValueId address = Emit(Opcode.SlotAddress, types.ByRefTo(from), [], slot: slot);
        Push(Emit(Opcode.LoadIndirect, to.StackType, [address], target: to)); // IL's ldind of another type through a ref: a reinterpretation
    }

    /// <summary>A BitOperations count or rotation of a value of <paramref name="type"/>.</summary>
    void BitCall(MethodInfo callee, MathFunction function, IrType type)
    {
        if (function is MathFunction.RotateLeft or MathFunction.RotateRight)
        {
            ValueId amount = Emit(Opcode.Convert, type.StackType, [Pop()], target: type);
            ValueId value = Pop();
            Push(Emit(Opcode.MathCall, type.StackType, [value, amount], math: function, target: type));
            return;
        }
        ValueId operand = Pop();
        if (callee.Name == nameof(System.Numerics.BitOperations.Log2))
            operand = Emit(Opcode.Or, type.StackType, [operand, Emit(Opcode.Const, type.StackType, [], constant: 1)]); // Log2(0) is 0
        ValueId count = Emit(Opcode.MathCall, IrType.I32, [operand], math: function, target: type);
        if (callee.Name == nameof(System.Numerics.BitOperations.Log2))
            count = Emit(Opcode.Sub, IrType.I32, [ConstI32(type.Size * 8 - 1), count]);
        Push(count);
    }

    /// <summary>A JIT intrinsic of .NET's whose IL calls itself (the JIT replaces the call; compiled as IL it would recurse forever).</summary>
    static bool CallsItself(MethodBase callee)
    {
        if (!callee.CustomAttributes.Any(a => a.AttributeType.FullName == "System.Runtime.CompilerServices.IntrinsicAttribute")
            || callee.GetMethodBody()?.GetILAsByteArray() is not { } il)
            return false;
        Type[]? typeArguments = callee.DeclaringType?.GetGenericArguments();
        Type[] methodArguments = callee is MethodInfo { IsGenericMethod: true } generic ? generic.GetGenericArguments() : Type.EmptyTypes;
        foreach (IlInstruction i in IlDecoder.Decode(il, (_, message) => new InvalidOperationException(message)))
        {
            if (i.OpCode.Name is "call" or "callvirt" && callee.Module.ResolveMethod(i.Token, typeArguments, methodArguments) == callee)
                return true;
        }
        return false;
    }
}
