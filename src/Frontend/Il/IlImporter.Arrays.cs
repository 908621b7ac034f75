using System.Reflection;
using Targets.Frontend.Ir;

namespace Targets.Frontend.Il;

/// <summary>
/// Arrays of numbers, structs, jit class instances and arrays (<c>T[]</c> through IL opcodes, <c>T[,]</c> through
/// the runtime's array methods) and byref memory. An element of an array of instances or of arrays is read and
/// written whole (<c>ldelem.ref</c>, <c>stelem.ref</c>); a reference to one (<c>ldelema</c>) is not supported.
/// </summary>
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
            throw Unsupported($"{instruction.OpCode.Name} on {type}", ExpectedArray);
        return array;
    }

    const string ExpectedArray = "expected an array of numbers, structs, jit class instances or arrays";
    const string SupportedArrays = "arrays hold numbers, structs, jit class instances or arrays of these (not strings or other objects)";

    void NewArray()
    {
        IrType element = ElementToken("newarr");
        ValueId length = PopIndex();
        Push(Emit(Opcode.NewArray, types.ArrayOf(element), [length], target: element));
    }

    void NewMultiDimensionalArray(Type arrayType, int arguments)
    {
        IrType type = types.Map(arrayType)
            ?? throw Error(CompilationErrorKind.UnsupportedType, $"new {arrayType.Name}", SupportedArrays);
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
            throw Unsupported($"Length of {TypeOf(array)}", ExpectedArray);
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

    /// <summary><c>ldelem.ref</c>: the element type is the array's (an instance or an array, possibly null).</summary>
    void LoadReferenceElement()
    {
        ValueId index = PopIndex();
        ValueId array = PopArray(1);
        IrType element = InstanceElement(array);
        Push(Emit(Opcode.LoadElement, element, [array, index], target: element));
    }

    /// <summary><c>stelem.ref</c>: the value must be an instance of the array's element class (or of one derived from it), an array of its element type, or null.</summary>
    void StoreReferenceElement()
    {
        ValueId value = Pop();
        ValueId index = PopIndex();
        ValueId array = PopArray(1);
        IrType element = InstanceElement(array);
        if (!OperandRules.Assignable(TypeOf(value), element))
            throw Error(CompilationErrorKind.InvalidIl, "malformed IL", $"stelem.ref of a {TypeOf(value)} into a {TypeOf(array)}");
        Emit(Opcode.StoreElement, IrType.Void, [array, index, value], target: element);
    }

    /// <summary>The element type of an array of references: of jit class instances, or of arrays (a jagged array's rows).</summary>
    IrType InstanceElement(ValueId array)
    {
        IrType element = TypeOf(array).Element!;
        if (element.Kind != IrTypeKind.Instance && element is not { Kind: IrTypeKind.Array, IsString: false })
            throw Error(CompilationErrorKind.InvalidIl, "malformed IL", $"{instruction.OpCode.Name} on {TypeOf(array)}");
        return element;
    }

    /// <summary><c>ref a[i]</c> of an array of instances (C# also makes one for <c>a[i] += x</c> and <c>a[i] ??= x</c>).</summary>
    CompilationException ElementReference(IrType element) =>
        Unsupported($"a reference to an element of a {element}[] (ref a[i], a[i] += x, a[i] ??= x)",
            "elements of arrays of instances are read and written whole: write a[i] = a[i] + x");

    void ElementAddress(IrType element)
    {
        ValueId index = PopIndex();
        ValueId array = PopArray(1);
        Push(Emit(Opcode.ElementAddress, types.ByRefTo(element), [array, index], target: element));
    }

    /// <summary>Members of arrays that are calls in IL: T[,] Get/Set/Address/.ctor, Array.Length/LongLength/GetLength/Rank.</summary>
    void ArrayMember(MethodBase callee)
    {
        switch (callee.Name)
        {
            case "get_Length":
                ArrayLength(nativeResult: false);
                return;
            case "get_LongLength":
                ArrayLength(nativeResult: true);
                Push(Emit(Opcode.Convert, IrType.I64, [Pop()], target: IrType.I64));
                return;
            case "GetLength":
                {
                    ValueId dimension = PopIndex();
                    ValueId array = Pop();
                    if (TypeOf(array).Kind != IrTypeKind.Array)
                        throw Unsupported($"GetLength of {TypeOf(array)}", ExpectedArray);
                    Push(Emit(Opcode.ArrayDimension, IrType.I32, [array, dimension]));
                    return;
                }
            case "GetLowerBound" or "GetUpperBound":
                {
                    // foreach over T[,] asks for bounds; lower bounds are 0 in compiled code, but the
                    // dimension is still checked (IndexOutOfRangeException), so read it either way.
                    ValueId dimension = PopIndex();
                    ValueId array = Pop();
                    if (TypeOf(array).Kind != IrTypeKind.Array)
                        throw Unsupported($"{callee.Name} of {TypeOf(array)}", ExpectedArray);
                    ValueId length = Emit(Opcode.ArrayDimension, IrType.I32, [array, dimension]);
                    Push(callee.Name == "GetUpperBound" ? Emit(Opcode.Sub, IrType.I32, [length, ConstI32(1)]) : ConstI32(0));
                    return;
                }
            case "Empty" when callee.IsStatic && callee.IsGenericMethod:
                {
                    // Array.Empty<T>() (what a params call without arguments passes): a new empty array.
                    Type elementType = ((MethodInfo)callee).GetGenericArguments()[0];
                    IrType element = types.Map(elementType.MakeArrayType())?.Element
                        ?? throw Error(CompilationErrorKind.UnsupportedType, $"Array.Empty<{elementType.Name}>", SupportedArrays);
                    Push(Emit(Opcode.NewArray, types.ArrayOf(element), [ConstI32(0)], target: element));
                    return;
                }
            case "Resize" when callee.IsStatic && callee.IsGenericMethod:
                {
                    // Array.Resize(ref a, n) of a local or parameter: the variable is read, and assigned what the substitute returns.
                    ValueId size = Pop();
                    StackItem target = PopItem();
                    if (target.ArraySlot is not int slot)
                        throw Unsupported("Array.Resize of an array that is not a local variable or parameter", "resize a local copy and store it back: var t = field; Array.Resize(ref t, n); field = t;");
                    IrType arrayType = function.Slots[slot];
                    MethodInfo resize = ArraySubstitutes.Resize(ClrTypeOf(arrayType.Element!)!);
                    ValueId array = Emit(Opcode.LoadSlot, arrayType, [], slot: slot);
                    Emit(Opcode.StoreSlot, IrType.Void, [Emit(Opcode.Call, arrayType, [array, size], calleeIndex: ResolveCallee(resize))], slot: slot);
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
                    IrType type = types.Map(callee.DeclaringType)
                        ?? throw Error(CompilationErrorKind.UnsupportedType, callee.DeclaringType.Name, SupportedArrays);
                    IrType element = type.Element!;
                    if (callee.Name == "Address" && element.Kind == IrTypeKind.Instance)
                        throw ElementReference(element);
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
                        Push(Emit(Opcode.ElementAddress, types.ByRefTo(element), operands, target: element));
                    return;
                }
        }
        int arity = callee.GetParameters().Length + (callee.IsStatic ? 0 : 1);
        Type? firstElement = arity > 0 && stack.Count >= arity && !stack[^arity].IsPseudo && TypeOf(stack[^arity].Value) is { Kind: IrTypeKind.Array, Rank: 1 } first
            ? ClrTypeOf(first.Element!) : null;
        if (callee.DeclaringType == typeof(Array) && ArraySubstitutes.For(callee, firstElement) is { } substitute)
        {
            ParameterInfo[] parameters = substitute.GetParameters();
            for (int a = 0; a < arity; a++)
            {
                if (types.Map(parameters[a].ParameterType) is { Kind: IrTypeKind.Array } expected && !stack[^(arity - a)].IsPseudo
                    && TypeOf(stack[^(arity - a)].Value) is { Kind: IrTypeKind.Array } given && given != expected)
                    throw Unsupported($"Array.{callee.Name} between {expected} and {given}", "compiled code copies and searches between arrays of one element type (.NET's widening copies are not offered)");
            }
            CallSubstitute(substitute);
            if (callee.Name == nameof(Array.Clone))
                stack[^1] = stack[^1] with { HeldAs = firstElement!.MakeArrayType() }; // an object to .NET: C# casts it back to the array's type
            return;
        }
        throw Error(CompilationErrorKind.UnsupportedCall, $"Array.{callee.Name}", ArraySubstitutes.Supported);
    }

    /// <summary>
    /// <c>Buffer.BlockCopy</c> between one-dimensional arrays: .NET's checks (<see cref="BufferSubstitutes"/>), then the bytes
    /// copied as <c>memmove</c> copies them. Arrays of structs and instances fail the checks as .NET's fail them.
    /// </summary>
    void BufferMember(MethodBase callee)
    {
        if (callee.Name != nameof(Buffer.BlockCopy))
            throw Error(CompilationErrorKind.UnsupportedCall, $"calling Buffer.{callee.Name}", "compiled code offers Buffer.BlockCopy");
        ValueId count = Pop(), dstOffset = Pop(), dst = Pop(), srcOffset = Pop(), src = Pop();
        IrType srcType = TypeOf(src), dstType = TypeOf(dst);
        foreach (IrType type in new[] { srcType, dstType })
        {
            if (type is not { Kind: IrTypeKind.Array, Rank: 1, IsString: false })
                throw Unsupported($"Buffer.BlockCopy of a {type}", "compiled code copies bytes between one-dimensional arrays");
        }
        bool Primitive(IrType array) => array.Element!.IsScalar;
        ValueId same = Emit(Opcode.Compare, IrType.I32, [src, dst], condition: Condition.Eq);
        MethodInfo checks = typeof(BufferSubstitutes).GetMethod(nameof(BufferSubstitutes.BlockCopyChecks), BindingFlags.Static | BindingFlags.NonPublic)!
            .MakeGenericMethod(ClrTypeOf(srcType.Element!)!, ClrTypeOf(dstType.Element!)!);
        Emit(Opcode.Call, IrType.Void, [src, srcOffset, dst, dstOffset, count, ConstI32(srcType.Element!.Size), ConstI32(Primitive(srcType) ? 1 : 0),
            ConstI32(dstType.Element!.Size), ConstI32(Primitive(dstType) ? 1 : 0), same], calleeIndex: ResolveCallee(checks));
        if (Primitive(srcType) && Primitive(dstType))
            Emit(Opcode.Intrinsic, IrType.Void, [src, srcOffset, dst, dstOffset, count], intrinsic: IntrinsicKind.CopyBytes);
    }

    /// <summary>The .NET type whose values an IR element type holds (an enum's is its underlying integer's).</summary>
    static Type? ClrTypeOf(IrType element) => element.Kind switch
    {
        IrTypeKind.Bool => typeof(bool), IrTypeKind.Char => typeof(char), IrTypeKind.I8 => typeof(sbyte), IrTypeKind.U8 => typeof(byte),
        IrTypeKind.I16 => typeof(short), IrTypeKind.U16 => typeof(ushort), IrTypeKind.I32 => typeof(int), IrTypeKind.U32 => typeof(uint),
        IrTypeKind.I64 => typeof(long), IrTypeKind.U64 => typeof(ulong), IrTypeKind.NInt => typeof(nint), IrTypeKind.NUInt => typeof(nuint),
        IrTypeKind.F32 => typeof(float), IrTypeKind.F64 => typeof(double),
        IrTypeKind.Aggregate => element.Aggregate!.ClrType, IrTypeKind.Instance => element.JitClass,
        IrTypeKind.Array when !element.IsString && ClrTypeOf(element.Element!) is { } row => element.Rank == 1 ? row.MakeArrayType() : row.MakeArrayType(element.Rank),
        _ => null,
    };

    /// <summary>
    /// <c>RuntimeHelpers.InitializeArray(array, ldtoken field)</c>, how C# fills <c>new T[] { … }</c>
    /// from constant data: the data is read now and stored element by element.
    /// </summary>
    void InitializeArray()
    {
        StackItem token = PopItem();
        if (token.Field is not { } field)
            throw Unsupported("RuntimeHelpers.InitializeArray without a constant field", "expected the pattern C# emits for array initialisers");
        ValueId array = Pop();
        IrType arrayType = TypeOf(array);
        if (arrayType.Kind != IrTypeKind.Array)
            throw Unsupported($"InitializeArray of {arrayType}", "expected an array of numbers");
        IrType element = arrayType.Element!;
        int bytes = System.Runtime.InteropServices.Marshal.SizeOf(field.FieldType);
        int count = bytes / element.Size;
        const int Largest = 4096;
        if (count > Largest || arrayType.Rank != 1)
            throw Unsupported($"an initialiser of {count} elements for {arrayType}", $"constant array initialisers of up to {Largest} elements of T[] are supported");
        byte[] data = new byte[bytes];
        System.Runtime.CompilerServices.RuntimeHelpers.InitializeArray(data, field.FieldHandle);
        for (int n = 0; n < count; n++)
        {
            ReadOnlySpan<byte> at = data.AsSpan(n * element.Size, element.Size);
            ValueId value = element.Kind switch
            {
                IrTypeKind.F32 => Emit(Opcode.Const, IrType.F32, [], floatConstant: BitConverter.ToSingle(at)),
                IrTypeKind.F64 => Emit(Opcode.Const, IrType.F64, [], floatConstant: BitConverter.ToDouble(at)),
                _ => Emit(Opcode.Const, element.StackType, [], constant: element.Size switch
                {
                    1 => element.IsUnsigned ? at[0] : (sbyte)at[0],
                    2 => element.IsUnsigned ? BitConverter.ToUInt16(at) : BitConverter.ToInt16(at),
                    4 => element.IsUnsigned ? BitConverter.ToUInt32(at) : BitConverter.ToInt32(at),
                    _ => BitConverter.ToInt64(at),
                }),
            };
            Emit(Opcode.StoreElement, IrType.Void, [array, ConstI32(n), value], target: element);
        }
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
