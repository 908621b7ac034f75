using Targets.Frontend.Ir;

namespace Targets.Frontend.Il;

/// <summary>
/// .NET types and IR types that mean the same in every compilation: scalars and void. What a class
/// means (jit class or not) depends on the compilation's <see cref="TypeContext"/>.
/// </summary>
public static class TypeMapper
{
    /// <summary>The IR scalar (or void) for <paramref name="type"/>; null for anything else.</summary>
    public static IrType? Scalar(Type type) => Type.GetTypeCode(type) switch
    {
        _ when type.IsEnum => null,
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

    /// <summary>The .NET type of an IR scalar, array, byref, instance or aggregate (the struct it was made from).</summary>
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
        IrTypeKind.Array when type.IsString => typeof(string),
        IrTypeKind.Array => type.Rank == 1 ? ToClr(type.Element!).MakeArrayType() : ToClr(type.Element!).MakeArrayType(type.Rank),
        IrTypeKind.ByRef => ToClr(type.Element!).MakeByRefType(),
        IrTypeKind.Instance => type.JitClass!,
        IrTypeKind.Aggregate => type.Aggregate!.ClrType ?? throw new ArgumentException($"aggregate {type} was not made from a .NET struct", nameof(type)),
        _ => throw new ArgumentException($"{type} has no .NET type", nameof(type)),
    };
}
