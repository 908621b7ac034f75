namespace Targets.Frontend.Ir;

/// <summary>The kinds of IR types: the .NET scalars, arrays, managed pointers (byrefs), jit class references and aggregates.</summary>
public enum IrTypeKind
{
    Void, Bool, Char, I8, U8, I16, U16, I32, U32, I64, U64, NInt, NUInt, F32, F64,
    /// <summary>A <c>T[]</c> or <c>T[,]</c> of numbers, structs, jit class instances or arrays: a pointer to an array descriptor, possibly null.</summary>
    Array,
    /// <summary>A <c>ref T</c>: a pointer to one element.</summary>
    ByRef,
    /// <summary>The type of <c>ldnull</c> before it meets an array.</summary>
    Null,
    /// <summary>A reference to an instance of a jit class, possibly null; what it points at is the target's choice.</summary>
    Instance,
    /// <summary>A value of named fields laid out in C order (a C# struct): see <see cref="IrType.Aggregate"/>.</summary>
    Aggregate,
}

/// <summary>
/// An IR type. Interned: two equal types are the same object, so types are compared by reference.
/// The scalars, void and null are well-known singletons (<see cref="I32"/>, …), the same in every
/// compilation; arrays, byrefs and instances are made and interned by one compilation's
/// <see cref="Il.TypeContext"/> (<see cref="Il.TypeContext.ArrayOf"/>, …), which they name as their
/// <see cref="Context"/>: two contexts never share them, and a context refuses another's.
/// Evaluation-stack values only ever have a <see cref="StackType"/>: I32 (bool, char and every
/// integer of 32 bits or less), I64, NInt, F32, F64, Array, ByRef or Null — as in ECMA-335.
/// </summary>
public sealed class IrType
{
    IrType(IrTypeKind kind)
    {
        Kind = kind;
    }

    /// <summary>A type of <paramref name="context"/>'s (its factory methods make these).</summary>
    internal IrType(Il.TypeContext context, IrTypeKind kind, IrType? element = null, int rank = 0, Type? jitClass = null, AggregateLayout? aggregate = null,
        bool isString = false)
    {
        Context = context;
        IsString = isString;
        Kind = kind;
        Element = element;
        Rank = rank;
        JitClass = jitClass;
        Aggregate = aggregate;
    }

    /// <summary>For <see cref="IrTypeKind.Aggregate"/>: its fields and layout.</summary>
    public AggregateLayout? Aggregate { get; }

    /// <summary>The type context that made this type; null for the well-known scalars, void and null.</summary>
    public Il.TypeContext? Context { get; }

    /// <summary>For <see cref="IrTypeKind.Instance"/>: the C# class (marked [JitClass]).</summary>
    public Type? JitClass { get; }

    public IrTypeKind Kind { get; }

    /// <summary>The element type of an array or byref.</summary>
    public IrType? Element { get; }

    /// <summary>The rank of an array (1 for <c>T[]</c>, 2 for <c>T[,]</c>).</summary>
    public int Rank { get; }

    /// <summary>
    /// A .NET <c>string</c> (<see cref="Il.TypeContext.String"/>): laid out and accessed as a read-only <c>char[]</c> whose
    /// descriptor views the string's characters, but a type of its own, so a string is never stored where a
    /// <c>char[]</c> goes (nor the reverse) and crosses to .NET as the string it is.
    /// </summary>
    public bool IsString { get; }

    public static readonly IrType Void = new(IrTypeKind.Void);
    public static readonly IrType Bool = new(IrTypeKind.Bool);
    public static readonly IrType Char = new(IrTypeKind.Char);
    public static readonly IrType I8 = new(IrTypeKind.I8);
    public static readonly IrType U8 = new(IrTypeKind.U8);
    public static readonly IrType I16 = new(IrTypeKind.I16);
    public static readonly IrType U16 = new(IrTypeKind.U16);
    public static readonly IrType I32 = new(IrTypeKind.I32);
    public static readonly IrType U32 = new(IrTypeKind.U32);
    public static readonly IrType I64 = new(IrTypeKind.I64);
    public static readonly IrType U64 = new(IrTypeKind.U64);
    public static readonly IrType NInt = new(IrTypeKind.NInt);
    public static readonly IrType NUInt = new(IrTypeKind.NUInt);
    public static readonly IrType F32 = new(IrTypeKind.F32);
    public static readonly IrType F64 = new(IrTypeKind.F64);
    public static readonly IrType Null = new(IrTypeKind.Null);

    public bool IsScalar => Kind is >= IrTypeKind.Bool and <= IrTypeKind.F64;
    public bool IsFloat => Kind is IrTypeKind.F32 or IrTypeKind.F64;
    public bool IsInteger => Kind is >= IrTypeKind.Bool and <= IrTypeKind.NUInt;
    public bool IsReference => Kind is IrTypeKind.Array or IrTypeKind.ByRef or IrTypeKind.Null or IrTypeKind.Instance;

    /// <summary>Arrays and instances: values NRT reference-counts.</summary>
    public bool IsCounted => Kind is IrTypeKind.Array or IrTypeKind.Instance;

    /// <summary>
    /// Counted, or an aggregate with counted fields (<see cref="AggregateLayout.CountedLeaves"/>): a
    /// value whose copy owns references and whose drop releases them.
    /// </summary>
    public bool HoldsCounted => IsCounted || Aggregate is { CountedLeaves.Count: > 0 };

    /// <summary>
    /// The struct holding references that this type is, or is an array of or a byref to; null for any
    /// other type. Such a struct stays in code NRT counts: it crosses neither to .NET nor to a device.
    /// </summary>
    public AggregateLayout? StructWithReferences => Element is { } element ? element.StructWithReferences
        : Aggregate is { CountedLeaves.Count: > 0 } layout ? layout : null;

    /// <summary>Unsigned integers (and bool, char): loads of them zero-extend.</summary>
    public bool IsUnsigned => Kind is IrTypeKind.Bool or IrTypeKind.Char or IrTypeKind.U8 or IrTypeKind.U16
        or IrTypeKind.U32 or IrTypeKind.U64 or IrTypeKind.NUInt;

    /// <summary>Size in bytes in memory (array elements, byref targets). Bool is one byte.</summary>
    public int Size => Kind switch
    {
        IrTypeKind.Bool or IrTypeKind.I8 or IrTypeKind.U8 => 1,
        IrTypeKind.Char or IrTypeKind.I16 or IrTypeKind.U16 => 2,
        IrTypeKind.I32 or IrTypeKind.U32 or IrTypeKind.F32 => 4,
        IrTypeKind.I64 or IrTypeKind.U64 or IrTypeKind.NInt or IrTypeKind.NUInt or IrTypeKind.F64 => 8,
        IrTypeKind.Array or IrTypeKind.ByRef or IrTypeKind.Null or IrTypeKind.Instance => 8,
        IrTypeKind.Aggregate => Aggregate!.Size,
        IrTypeKind.Void => 0,
        _ => throw new InvalidOperationException($"no size for {Kind}"),
    };

    /// <summary>Alignment in bytes in memory: a scalar's or reference's size, an aggregate's largest field alignment.</summary>
    public int Alignment => Kind == IrTypeKind.Aggregate ? Aggregate!.Alignment : Math.Max(1, Size);

    /// <summary>The type a value of this type has on the IL evaluation stack.</summary>
    public IrType StackType => Kind switch
    {
        IrTypeKind.Bool or IrTypeKind.Char or IrTypeKind.I8 or IrTypeKind.U8 or IrTypeKind.I16
            or IrTypeKind.U16 or IrTypeKind.I32 or IrTypeKind.U32 => I32,
        IrTypeKind.I64 or IrTypeKind.U64 => I64,
        IrTypeKind.NInt or IrTypeKind.NUInt => NInt,
        _ => this,
    };

    public override string ToString() => Kind switch
    {
        IrTypeKind.Array when IsString => "string",
        IrTypeKind.Array => Element + (Rank == 1 ? "[]" : "[" + new string(',', Rank - 1) + "]"),
        IrTypeKind.ByRef => "ref " + Element,
        IrTypeKind.Instance => JitClass!.Name,
        IrTypeKind.Aggregate => Aggregate!.Name,
        _ => Kind.ToString().ToLowerInvariant(),
    };
}
