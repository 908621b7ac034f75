using System.Reflection;

namespace Targets;

/// <summary>A field of a jit class: its spec name, type, byte offset in the instance, and the .NET field it stands for.</summary>
public sealed record JitField(string Name, JitType Type, int Offset, FieldInfo Field);

/// <summary>
/// A jit class type made by <see cref="JitClass.Define{T}()"/>: the fields in spec order with a
/// C-compatible layout (natural alignment and padding: the bytes of a
/// <c>[StructLayout(LayoutKind.Sequential)]</c> struct with the same fields, references as
/// pointers). Every Define makes a new, distinct type, even for the same class and spec.
/// </summary>
public sealed class JitClassType
{
    static int nextId;

    internal JitClassType(Type clrType, IReadOnlyList<JitField> fields, int size, int alignment, JitClassType? baseType = null)
    {
        ClrType = clrType;
        Base = baseType;
        ClassId = Frontend.Ir.ClassIdentity.Of(clrType);
        Fields = fields;
        Size = size;
        Alignment = alignment;
        Id = Interlocked.Increment(ref nextId);
        var references = new List<JitReference>();
        foreach (JitField field in fields)
        {
            foreach (JitReference reference in field.Type.References)
                references.Add(reference with { Offset = field.Offset + reference.Offset });
        }
        References = references;
    }

    /// <summary>
    /// The counted references an instance holds, at their offsets in its data: its array and instance
    /// fields and those inside its struct fields. What its destructor releases.
    /// </summary>
    public IReadOnlyList<JitReference> References { get; }

    /// <summary>The C# class.</summary>
    public Type ClrType { get; }

    /// <summary>The layout of the jit class this one derives from (its fields come first), or null.</summary>
    public JitClassType? Base { get; }

    /// <summary>The class's identity in compiled code (<see cref="Frontend.Ir.ClassIdentity"/>): what its class record holds.</summary>
    public long ClassId { get; }

    /// <summary>The class's ids from the root of its hierarchy down to itself (a record's display: type tests read one entry).</summary>
    public IReadOnlyList<long> Ancestry() => Frontend.Ir.ClassIdentity.Ancestry(ClrType);

    public string Name => ClrType.Name;

    /// <summary>Distinguishes types defined from the same class.</summary>
    public int Id { get; }

    public IReadOnlyList<JitField> Fields { get; }

    /// <summary>Bytes of an instance's data (at least 1, as a sequential struct).</summary>
    public int Size { get; }

    /// <summary>Alignment of an instance's data: that of its most aligned field.</summary>
    public int Alignment { get; }

    /// <summary>A fast accessor for the numeric field <paramref name="name"/>, whose type must be <typeparamref name="T"/>.</summary>
    public JitAccessor<T> Accessor<T>(string name) where T : unmanaged
    {
        JitField field = Field(name);
        if (field.Type.ClrType != typeof(T))
            throw new ArgumentException($"{Name}.{name} is {field.Type}, not {typeof(T).Name}.", nameof(name));
        return new JitAccessor<T>(this, field.Offset);
    }

    /// <summary>
    /// True for a box whose type is this one (each Define is its own type), or of a class derived from this one's class
    /// (a derived class's base part is laid out by the base's first Define, whichever Define this is).
    /// </summary>
    public bool IsInstance(object? value)
    {
        if (value is not JitObject box)
            return false;
        if (box.Type == this)
            return true;
        for (JitClassType? t = box.Type.Base; t is not null; t = t.Base)
        {
            if (t.ClrType == ClrType)
                return true;
        }
        return false;
    }

    /// <summary>The field named <paramref name="name"/> (its spec name).</summary>
    public JitField Field(string name) =>
        Fields.FirstOrDefault(f => f.Name == name)
        ?? throw new ArgumentException($"Jit class {Name} has no field '{name}'; it has {string.Join(", ", Fields.Select(f => f.Name))}.", nameof(name));

    public override string ToString() =>
        $"jitclass {Name}#{Id} {{ {string.Join("; ", Fields.Select(f => $"{f.Type} {f.Name} @{f.Offset}"))} }} ({Size} bytes, align {Alignment})";
}
