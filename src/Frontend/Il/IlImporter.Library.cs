using System.Reflection;
using Targets.Frontend.Ir;

namespace Targets.Frontend.Il;

/// <summary>
/// The table of .NET library members compiled code implements itself rather than from their IL,
/// because their bodies use runtime internals or hardware intrinsics: the bit reinterpretations of
/// <see cref="BitConverter"/> (a value stored and read back as another type of its size, which LLVM
/// folds to a bitcast). The rest of the rule (which library members compile from IL) is in
/// IlImporter.Calls; System.Math/MathF are <see cref="Opcode.MathCall"/>s.
/// </summary>
internal sealed partial class IlImporter
{
    static bool IsLibraryIntrinsic(MethodBase callee) =>
        callee.DeclaringType == typeof(BitConverter) && callee.Name is nameof(BitConverter.DoubleToInt64Bits) or nameof(BitConverter.DoubleToUInt64Bits)
            or nameof(BitConverter.Int64BitsToDouble) or nameof(BitConverter.UInt64BitsToDouble) or nameof(BitConverter.SingleToInt32Bits)
            or nameof(BitConverter.SingleToUInt32Bits) or nameof(BitConverter.Int32BitsToSingle) or nameof(BitConverter.UInt32BitsToSingle);

    void LibraryIntrinsic(MethodInfo callee)
    {
        IrType from = types.Map(callee.GetParameters()[0].ParameterType)!, to = types.Map(callee.ReturnType)!;
        int slot = TemporarySlot(from);
        Emit(Opcode.StoreSlot, IrType.Void, [Pop()], slot: slot);
        ValueId address = Emit(Opcode.SlotAddress, types.ByRefTo(from), [], slot: slot);
        Push(Emit(Opcode.LoadIndirect, to.StackType, [address], target: to)); // IL's ldind of another type through a ref: a reinterpretation
    }
}
