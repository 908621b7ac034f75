using Targets.Frontend.Ir;

namespace Targets.Frontend.Il;

/// <summary>Maps .NET types to IR types; null for a type the compiler cannot represent.</summary>
public static class TypeMapper
{
    public static IrType? Map(Type type)
    {
        if (type.IsByRef)
            return Map(type.GetElementType()!) is { IsScalar: true } element ? IrType.ByRefTo(element) : null;
        if (type.IsArray)
        {
            // Arrays of numbers or of jit class instances; not of arrays (jagged arrays).
            IrType? element = Map(type.GetElementType()!);
            if (element is null || !element.IsScalar && element.Kind != IrTypeKind.Instance)
                return null;
            // T[] is an SZ array; T[*] (a rank-1 array with bounds) is not something C# creates.
            if (type.IsSZArray)
                return IrType.ArrayOf(element, 1);
            int rank = type.GetArrayRank();
            return rank >= 2 ? IrType.ArrayOf(element, rank) : null;
        }
        if (type.IsEnum)
            return null;
        if (IsJitClass(type))
            return IrType.InstanceOf(type);
        return Type.GetTypeCode(type) switch
        {
            TypeCode.Boolean => IrType.Bool,
            TypeCode.Char => IrType.Char,
            TypeCode.SByte => IrType.I8,
            TypeCode.Byte => IrType.U8,
            TypeCode.Int16 => IrType.I16,
            TypeCode.UInt16 => IrType.U16,
            TypeCode.Int32 => IrType.I32,
            TypeCode.UInt32 => IrType.U32,
            TypeCode.Int64 => IrType.I64,
            TypeCode.UInt64 => IrType.U64,
            TypeCode.Single => IrType.F32,
            TypeCode.Double => IrType.F64,
            _ when type == typeof(nint) => IrType.NInt,
            _ when type == typeof(nuint) => IrType.NUInt,
            _ when type == typeof(void) => IrType.Void,
            _ => null,
        };
    }

    /// <summary>
    /// A class marked <c>[JitClass]</c> (matched by name: the attribute lives in a later assembly).
    /// Its instances compile as C-layout NRT objects.
    /// </summary>
    public static bool IsJitClass(Type type) =>
        type.IsClass && type.GetCustomAttributes(false).Any(a => a.GetType().FullName == "Targets.JitClassAttribute");

    /// <summary>The .NET type of an IR scalar, array or byref.</summary>
    public static Type ToClr(IrType type) => type.Kind switch
    {
        IrTypeKind.Void => typeof(void),
        IrTypeKind.Bool => typeof(bool),
        IrTypeKind.Char => typeof(char),
        IrTypeKind.I8 => typeof(sbyte),
        IrTypeKind.U8 => typeof(byte),
        IrTypeKind.I16 => typeof(short),
        IrTypeKind.U16 => typeof(ushort),
        IrTypeKind.I32 => typeof(int),
        IrTypeKind.U32 => typeof(uint),
        IrTypeKind.I64 => typeof(long),
        IrTypeKind.U64 => typeof(ulong),
        IrTypeKind.NInt => typeof(nint),
        IrTypeKind.NUInt => typeof(nuint),
        IrTypeKind.F32 => typeof(float),
        IrTypeKind.F64 => typeof(double),
        IrTypeKind.Array => type.Rank == 1 ? ToClr(type.Element!).MakeArrayType() : ToClr(type.Element!).MakeArrayType(type.Rank),
        IrTypeKind.ByRef => ToClr(type.Element!).MakeByRefType(),
        IrTypeKind.Instance => type.JitClass!,
        _ => throw new ArgumentException($"{type} has no .NET type", nameof(type)),
    };
}
