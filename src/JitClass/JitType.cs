using System.Reflection;

namespace Targets;

/// <summary>A counted reference in an instance or a struct: its byte offset, and whether it is an array (a descriptor whose owner is counted) or an instance.</summary>
public readonly record struct JitReference(int Offset, bool IsArray);

/// <summary>
/// The type of a jit class field: a numeric scalar or an enum, a struct (of numbers, enums, arrays,
/// instances and other structs), a (nullable) reference to an instance of a jit class — the class
/// itself included, for linked lists and trees; a field of an interface jit classes implement holds one of
/// theirs) — or an array of numbers, structs or instances.
/// </summary>
public sealed class JitType : IEquatable<JitType>
{
    JitType(string name, Type? clrType, int size, JitType? element = null, int rank = 0, Type? instanceOf = null, int alignment = 0, bool isStruct = false,
        IReadOnlyList<JitReference>? references = null)
    {
        Name = name;
        ClrType = clrType;
        Size = size;
        Alignment = alignment == 0 ? size : alignment;
        IsStruct = isStruct;
        Element = element;
        Rank = rank;
        InstanceOf = instanceOf;
        References = references ?? (element is not null || instanceOf is not null ? [new JitReference(0, element is not null)] : []);
    }

    /// <summary>
    /// The counted references a value of this type holds, at their offsets in it: itself for an array
    /// or an instance, those in its fields (nested structs' included) for a struct, none for a number.
    /// What an instance's destructor releases.
    /// </summary>
    public IReadOnlyList<JitReference> References { get; }

    /// <summary>A struct that holds arrays or instances (or an array of such structs): .NET cannot read or write it through a box.</summary>
    public bool IsStructWithReferences => IsStruct ? References.Count > 0 : Element is { IsStructWithReferences: true };

    public string Name { get; }

    /// <summary>The .NET type a field of this type has (null for <see cref="Instance"/> until resolved: the class).</summary>
    public Type? ClrType { get; }

    /// <summary>Bytes in the instance (<c>Unsafe.SizeOf</c> of a struct; references are pointers).</summary>
    public int Size { get; }

    /// <summary>The alignment in the instance: the size, but for a struct its largest field's.</summary>
    public int Alignment { get; }

    /// <summary>A struct (held by value, its bytes laid out as the runtime lays them out).</summary>
    public bool IsStruct { get; }

    /// <summary>For arrays: the element type and rank.</summary>
    public JitType? Element { get; }

    public int Rank { get; }

    /// <summary>For instance references: the jit class (its .NET type).</summary>
    public Type? InstanceOf { get; }

    /// <summary>A number or an enum (a struct is neither a scalar nor a reference).</summary>
    public bool IsScalar => Element is null && InstanceOf is null && !IsStruct;

    /// <summary>Arrays and instances are references: NRT-counted pointers.</summary>
    public bool IsReference => Element is not null || InstanceOf is not null;

    public static readonly JitType Bool = new("bool", typeof(bool), 1);
    public static readonly JitType Char = new("char", typeof(char), 2);
    public static readonly JitType Int8 = new("int8", typeof(sbyte), 1);
    public static readonly JitType UInt8 = new("uint8", typeof(byte), 1);
    public static readonly JitType Int16 = new("int16", typeof(short), 2);
    public static readonly JitType UInt16 = new("uint16", typeof(ushort), 2);
    public static readonly JitType Int32 = new("int32", typeof(int), 4);
    public static readonly JitType UInt32 = new("uint32", typeof(uint), 4);
    public static readonly JitType Int64 = new("int64", typeof(long), 8);
    public static readonly JitType UInt64 = new("uint64", typeof(ulong), 8);
    public static readonly JitType NInt = new("nint", typeof(nint), 8);
    public static readonly JitType NUInt = new("nuint", typeof(nuint), 8);
    public static readonly JitType Float32 = new("float32", typeof(float), 4);
    public static readonly JitType Float64 = new("float64", typeof(double), 8);

    static readonly JitType[] Scalars = [Bool, Char, Int8, UInt8, Int16, UInt16, Int32, UInt32, Int64, UInt64, NInt, NUInt, Float32, Float64];

    /// <summary>
    /// <c>T[]</c> (rank 1) or <c>T[,]</c> (rank 2 and more) of a scalar, a struct, instances of a jit
    /// class or arrays (a jagged array; such elements are null or references it owns).
    /// </summary>
    public static JitType ArrayOf(JitType element, int rank = 1)
    {
        ArgumentNullException.ThrowIfNull(element);
        if (rank is < 1 or > 32)
            throw new ArgumentOutOfRangeException(nameof(rank), rank, "Expected a rank from 1 to 32.");
        Type clr = rank == 1 ? element.ClrType!.MakeArrayType() : element.ClrType!.MakeArrayType(rank);
        return new JitType(element.Name + (rank == 1 ? "[]" : "[" + new string(',', rank - 1) + "]"), clr, 8, element, rank);
    }

    /// <summary>A nullable reference to an instance of the jit class <paramref name="jitClass"/> (or of one implementing the interface).</summary>
    public static JitType Instance(Type jitClass)
    {
        ArgumentNullException.ThrowIfNull(jitClass);
        if (!jitClass.IsClass && !Frontend.Il.ClassHierarchy.IsUserInterface(jitClass))
            throw new ArgumentException($"Expected a class or an interface of the program's, got {jitClass.Name}.", nameof(jitClass));
        return new JitType(jitClass.Name, jitClass, 8, instanceOf: jitClass);
    }

    /// <summary>
    /// A struct of numbers, enums, arrays, jit class instances and such structs, laid out as the
    /// runtime lays it out (<see cref="Frontend.Il.ManagedLayout"/>), or null for a struct that holds
    /// anything else.
    /// </summary>
    public static JitType? Struct(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (!type.IsValueType || type.IsPrimitive || type.IsEnum || type.IsByRefLike || type.ContainsGenericParameters || type == typeof(decimal))
            return null;
        // A struct that holds an array of itself reaches itself here: it has no JitType.
        HashSet<Type> mapping = structsBeingMapped ??= [];
        if (!mapping.Add(type))
            return null;
        try
        {
            Frontend.Il.ManagedLayout.Result layout = Frontend.Il.ManagedLayout.Of(type);
            int alignment = 1;
            var references = new List<JitReference>();
            for (int n = 0; n < layout.Fields.Length; n++)
            {
                if (FromClr(layout.Fields[n].FieldType) is not { } inner)
                    return null;
                alignment = Math.Max(alignment, inner.Alignment);
                foreach (JitReference reference in inner.References)
                    references.Add(reference with { Offset = layout.Offsets[n] + reference.Offset });
            }
            return new JitType(type.Name, type, layout.Size, alignment: alignment, isStruct: true, references: references);
        }
        finally
        {
            mapping.Remove(type);
        }
    }

    [ThreadStatic]
    static HashSet<Type>? structsBeingMapped;

    /// <summary>The JitType of a .NET field type, or null when it has none (strings, delegates, structs that hold references, …).</summary>
    public static JitType? FromClr(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (Frontend.Il.Collections.CollectionTypes.SubstituteOf(type) is { } substitute)
            return FromClr(substitute); // a List<T> field holds compiled code's list
        foreach (JitType scalar in Scalars)
        {
            if (scalar.ClrType == type)
                return scalar;
        }
        // An enum is its underlying number in memory; its own type is what .NET reads and writes.
        if (type.IsEnum && FromClr(Enum.GetUnderlyingType(type)) is { } underlying)
            return new JitType(type.Name, type, underlying.Size);
        if (type.IsValueType)
            return Struct(type);
        if (type.IsArray && FromClr(type.GetElementType()!) is { } element && (type.IsSZArray || type.GetArrayRank() > 1))
            return ArrayOf(element, type.IsSZArray ? 1 : type.GetArrayRank());
        // A user interface: a reference to an instance of whichever jit class implements it.
        if (LayoutContext.IsJitClassType(type) || Frontend.Il.ClassHierarchy.IsUserInterface(type))
            return Instance(type);
        return null;
    }

    public bool Equals(JitType? other) =>
        other is not null && Name == other.Name && ClrType == other.ClrType && Rank == other.Rank && InstanceOf == other.InstanceOf;

    public override bool Equals(object? obj) => Equals(obj as JitType);

    public override int GetHashCode() => HashCode.Combine(Name, ClrType, Rank);

    public override string ToString() => Name;
}
