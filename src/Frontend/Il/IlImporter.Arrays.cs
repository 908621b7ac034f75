using System.Reflection;
using Targets.Frontend.Ir;

namespace Targets.Frontend.Il;

/// <summary>Arrays (<c>T[]</c> through IL opcodes, <c>T[,]</c> through the runtime's array methods) and byref memory.</summary>
internal sealed partial class IlImporter
{
    ValueId PopIndex()
    {
        ValueId index = Pop();
        IrType type = TypeOf(index);
        if (type != IrType.I32 && type != IrType.NInt)
            throw Error(CompilationErrorKind.InvalidIl, "malformed IL", $"array index of type {type}");
        return index;
    }

    ValueId PopArray(int rank)
    {
        ValueId array = Pop();
        IrType type = TypeOf(array);
        if (type.Kind != IrTypeKind.Array || type.Rank != rank)
            throw Unsupported($"{instruction.OpCode.Name} on {type}", "expected an array of numbers");
        return array;
    }

    void NewArray()
    {
        IrType element = ScalarToken("newarr");
        ValueId length = PopIndex();
        Push(Emit(Opcode.NewArray, IrType.ArrayOf(element), [length], target: element));
    }

    void NewMultiDimensionalArray(Type arrayType, int arguments)
    {
        IrType type = TypeMapper.Map(arrayType)
            ?? throw Error(CompilationErrorKind.UnsupportedType, $"new {arrayType.Name}", "only arrays of numbers are supported");
        if (arguments != type.Rank)
            throw Unsupported($"new {arrayType.Name} with lower bounds", "arrays start at index 0 in compiled code");
        var lengths = new ValueId[type.Rank];
        for (int d = type.Rank - 1; d >= 0; d--)
            lengths[d] = PopIndex();
        Push(Emit(Opcode.NewArray, type, lengths, target: type.Element));
    }

    void ArrayLength(bool nativeResult)
    {
        ValueId array = Pop();
        if (TypeOf(array).Kind != IrTypeKind.Array)
            throw Unsupported($"Length of {TypeOf(array)}", "expected an array of numbers");
        Push(Emit(Opcode.ArrayLength, nativeResult ? IrType.NInt : IrType.I32, [array]));
    }

    void LoadElement(IrType element)
    {
        ValueId index = PopIndex();
        ValueId array = PopArray(1);
        Push(Emit(Opcode.LoadElement, element.StackType, [array, index], target: element));
    }

    void StoreElement(IrType element)
    {
        ValueId value = Pop();
        ValueId index = PopIndex();
        ValueId array = PopArray(1);
        Emit(Opcode.StoreElement, IrType.Void, [array, index, value], target: element);
    }

    void ElementAddress(IrType element)
    {
        ValueId index = PopIndex();
        ValueId array = PopArray(1);
        Push(Emit(Opcode.ElementAddress, IrType.ByRefTo(element), [array, index], target: element));
    }

    /// <summary>Members of arrays that are calls in IL: T[,] Get/Set/Address/.ctor, Array.Length/GetLength/Rank.</summary>
    void ArrayMember(MethodBase callee)
    {
        switch (callee.Name)
        {
            case "get_Length":
                ArrayLength(nativeResult: false);
                return;
            case "GetLength":
                {
                    ValueId dimension = PopIndex();
                    ValueId array = Pop();
                    if (TypeOf(array).Kind != IrTypeKind.Array)
                        throw Unsupported($"GetLength of {TypeOf(array)}", "expected an array of numbers");
                    Push(Emit(Opcode.ArrayDimension, IrType.I32, [array, dimension]));
                    return;
                }
            case "get_Rank":
                {
                    ValueId array = Pop();
                    Push(ConstI32(TypeOf(array).Rank));
                    return;
                }
            case "Get" or "Set" or "Address" when callee.DeclaringType!.IsArray:
                {
                    IrType type = TypeMapper.Map(callee.DeclaringType)
                        ?? throw Error(CompilationErrorKind.UnsupportedType, callee.DeclaringType.Name, "only arrays of numbers are supported");
                    IrType element = type.Element!;
                    ValueId value = callee.Name == "Set" ? Pop() : default;
                    var indices = new ValueId[type.Rank];
                    for (int d = type.Rank - 1; d >= 0; d--)
                        indices[d] = PopIndex();
                    ValueId array = PopArray(type.Rank);
                    ValueId[] operands = [array, .. indices];
                    if (callee.Name == "Get")
                        Push(Emit(Opcode.LoadElement, element.StackType, operands, target: element));
                    else if (callee.Name == "Set")
                        Emit(Opcode.StoreElement, IrType.Void, [.. operands, value], target: element);
                    else
                        Push(Emit(Opcode.ElementAddress, IrType.ByRefTo(element), operands, target: element));
                    return;
                }
        }
        throw Error(CompilationErrorKind.UnsupportedCall, $"Array.{callee.Name}",
            "supported array members: Length, GetLength, Rank and indexing");
    }

    void LoadIndirect(IrType type)
    {
        ValueId address = Pop();
        if (TypeOf(address).Kind != IrTypeKind.ByRef)
            throw Unsupported($"{instruction.OpCode.Name} through {TypeOf(address)}", "only managed references to numbers can be read");
        Push(Emit(Opcode.LoadIndirect, type.StackType, [address], target: type));
    }

    void StoreIndirect(IrType type)
    {
        ValueId value = Pop();
        ValueId address = Pop();
        if (TypeOf(address).Kind != IrTypeKind.ByRef)
            throw Unsupported($"{instruction.OpCode.Name} through {TypeOf(address)}", "only managed references to numbers can be written");
        Emit(Opcode.StoreIndirect, IrType.Void, [address, value], target: type);
    }
}
