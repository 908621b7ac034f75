using System.Collections.Concurrent;

namespace Targets.Frontend.Ir;

/// <summary>The kinds of IR types: the .NET scalars, arrays, and managed pointers (byrefs).</summary>
public enum IrTypeKind
{
    Void, Bool, Char, I8, U8, I16, U16, I32, U32, I64, U64, NInt, NUInt, F32, F64,
    /// <summary>A <c>T[]</c> or <c>T[,]</c> of numbers or of jit class instances: a pointer to an array descriptor, possibly null.</summary>
    Array,
    /// <summary>A <c>ref T</c>: a pointer to one element.</summary>
    ByRef,
    /// <summary>The type of <c>ldnull</c> before it meets an array.</summary>
    Null,
    /// <summary>A reference to an instance of a jit class, possibly null; what it points at is the target's choice.</summary>
    Instance,
}

/// <summary>
/// An IR type. Interned: two equal types are the same object, so types are compared by reference.
/// Evaluation-stack values only ever have a <see cref="StackType"/>: I32 (bool, char and every
/// integer of 32 bits or less), I64, NInt, F32, F64, Array, ByRef or Null — as in ECMA-335.
/// </summary>
public sealed class IrType
{
    static readonly ConcurrentDictionary<(IrType, int), IrType> Arrays = new();
    static readonly ConcurrentDictionary<IrType, IrType> ByRefs = new();
    static readonly ConcurrentDictionary<Type, IrType> Instances = new();

    IrType(IrTypeKind kind, IrType? element = null, int rank = 0, Type? jitClass = null)
    {
        Kind = kind;
        Element = element;
        Rank = rank;
        JitClass = jitClass;
    }

    /// <summary>For <see cref="IrTypeKind.Instance"/>: the C# class (marked [JitClass]).</summary>
    public Type? JitClass { get; }

    public IrTypeKind Kind { get; }

    /// <summary>The element type of an array or byref.</summary>
    public IrType? Element { get; }

    /// <summary>The rank of an array (1 for <c>T[]</c>, 2 for <c>T[,]</c>).</summary>
    public int Rank { get; }

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

    /// <summary>An array of numbers, or of references to jit class instances (elements are instance references, null or owning one reference each).</summary>
    public static IrType ArrayOf(IrType element, int rank = 1)
    {
        if (!element.IsScalar && element.Kind != IrTypeKind.Instance)
            throw new ArgumentException($"Expected a scalar or jit class element type, got {element}.", nameof(element));
        return Arrays.GetOrAdd((element, rank), key => new IrType(IrTypeKind.Array, key.Item1, key.Item2));
    }

    public static IrType ByRefTo(IrType element) => ByRefs.GetOrAdd(element, e => new IrType(IrTypeKind.ByRef, e));

    public static IrType InstanceOf(Type jitClass) => Instances.GetOrAdd(jitClass, c => new IrType(IrTypeKind.Instance, jitClass: c));

    public bool IsScalar => Kind is >= IrTypeKind.Bool and <= IrTypeKind.F64;
    public bool IsFloat => Kind is IrTypeKind.F32 or IrTypeKind.F64;
    public bool IsInteger => Kind is >= IrTypeKind.Bool and <= IrTypeKind.NUInt;
    public bool IsReference => Kind is IrTypeKind.Array or IrTypeKind.ByRef or IrTypeKind.Null or IrTypeKind.Instance;

    /// <summary>Arrays and instances: values NRT reference-counts.</summary>
    public bool IsCounted => Kind is IrTypeKind.Array or IrTypeKind.Instance;

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
        IrTypeKind.Void => 0,
        _ => throw new InvalidOperationException($"no size for {Kind}"),
    };

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
        IrTypeKind.Array => Element + (Rank == 1 ? "[]" : "[" + new string(',', Rank - 1) + "]"),
        IrTypeKind.ByRef => "ref " + Element,
        IrTypeKind.Instance => JitClass!.Name,
        _ => Kind.ToString().ToLowerInvariant(),
    };
}
