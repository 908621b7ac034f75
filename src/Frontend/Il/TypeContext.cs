using System.Collections.Concurrent;
using System.Reflection;
using Targets.Frontend.Ir;

namespace Targets.Frontend.Il;

/// <summary>
/// What .NET types mean to one compilation: which classes are jit classes and what type each field
/// declared <c>object</c> holds. Every compilation carries one (in its <see cref="IrModule"/>),
/// chosen by the target, instead of process-wide tables: two targets may lay the same class out
/// differently in one process. A context's answers never change once given (the layouts behind
/// them are fixed on first use), so compiled code may be cached under it.
/// </summary>
public abstract class TypeContext
{
    readonly ConcurrentDictionary<(IrType, int), IrType> arrays = new();
    readonly ConcurrentDictionary<IrType, IrType> byRefs = new();
    readonly ConcurrentDictionary<Type, IrType> instances = new();
    readonly ConcurrentDictionary<string, IrType> aggregates = new();

    /// <summary>An array of numbers, or of references to jit class instances (elements are instance references, null or owning one reference each).</summary>
    public IrType ArrayOf(IrType element, int rank = 1)
    {
        Own(element, nameof(element));
        if (!element.IsScalar && element.Kind != IrTypeKind.Instance)
            throw new ArgumentException($"Expected a scalar or jit class element type, got {element}.", nameof(element));
        ArgumentOutOfRangeException.ThrowIfLessThan(rank, 1);
        return arrays.GetOrAdd((element, rank), key => new IrType(this, IrTypeKind.Array, key.Item1, key.Item2));
    }

    /// <summary>A managed pointer to one <paramref name="element"/>.</summary>
    public IrType ByRefTo(IrType element)
    {
        Own(element, nameof(element));
        return byRefs.GetOrAdd(element, e => new IrType(this, IrTypeKind.ByRef, e));
    }

    /// <summary>A reference to an instance of the jit class <paramref name="jitClass"/>.</summary>
    public IrType InstanceOf(Type jitClass)
    {
        ArgumentNullException.ThrowIfNull(jitClass);
        return instances.GetOrAdd(jitClass, c => new IrType(this, IrTypeKind.Instance, jitClass: c));
    }

    /// <summary>
    /// The aggregate named <paramref name="name"/> with <paramref name="fields"/> in order, laid out
    /// by <see cref="SequentialLayout"/>: made once per context; asking again with other fields is
    /// an error (a context has one layout per name). Fields are scalars, arrays, instances or
    /// aggregates of this context.
    /// </summary>
    public IrType AggregateOf(string name, IReadOnlyList<(string Name, IrType Type)> fields)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(fields);
        var sizes = new List<(int, int)>();
        foreach ((string field, IrType type) in fields)
        {
            Own(type, nameof(fields));
            if (!type.IsScalar && !type.IsCounted && type.Kind != IrTypeKind.Aggregate)
                throw new ArgumentException($"Aggregate {name}: field {field} of type {type} (expected a scalar, an array, an instance or an aggregate).", nameof(fields));
            sizes.Add((type.Size, type.Alignment));
        }
        SequentialLayout.Result layout = SequentialLayout.Of(sizes);
        var laidOut = new AggregateField[fields.Count];
        for (int n = 0; n < fields.Count; n++)
            laidOut[n] = new AggregateField(fields[n].Name, fields[n].Type, layout.Offsets[n]);
        IrType made = aggregates.GetOrAdd(name, _ => new IrType(this, IrTypeKind.Aggregate, aggregate: new AggregateLayout(name, laidOut, layout.Size, layout.Alignment)));
        if (!made.Aggregate!.Fields.SequenceEqual(laidOut))
            throw new ArgumentException($"This type context already has an aggregate {name}: {made.Aggregate}.", nameof(fields));
        return made;
    }

    /// <summary>The aggregate named <paramref name="name"/> this context made, or null.</summary>
    public IrType? AggregateNamed(string name) => aggregates.GetValueOrDefault(name);

    /// <summary>Refuses a type another context made: types of two contexts would compare unequal where they should not.</summary>
    void Own(IrType type, string parameter)
    {
        ArgumentNullException.ThrowIfNull(type, parameter);
        if (type.Context is { } other && other != this)
            throw new ArgumentException($"{type} belongs to another type context than this one ({other} here {this}).", parameter);
    }

    /// <summary>Whether compiled code treats <paramref name="type"/> as a jit class (instances are IR instances).</summary>
    public abstract bool IsJitClass(Type type);

    /// <summary>The type a jit class field declared <c>object</c> holds in compiled code, or null when this context has none for it.</summary>
    public abstract Type? ObjectFieldType(FieldInfo field);

    /// <summary>Text for a diagnostic that an <c>object</c> field has no type here: what the user must do.</summary>
    public virtual string HowToTypeObjectField(FieldInfo field) =>
        $"this compilation's type context gives field {field.DeclaringType?.Name}.{field.Name} no type";

    /// <summary>The IR type of <paramref name="type"/>; null for a type the compiler cannot represent.</summary>
    public IrType? Map(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (type.IsByRef)
            return Map(type.GetElementType()!) is { IsScalar: true } element ? ByRefTo(element) : null;
        if (type.IsArray)
        {
            // Arrays of numbers or of jit class instances; not of arrays (jagged arrays).
            IrType? element = Map(type.GetElementType()!);
            if (element is null || !element.IsScalar && element.Kind != IrTypeKind.Instance)
                return null;
            // T[] is an SZ array; T[*] (a rank-1 array with bounds) is not something C# creates.
            if (type.IsSZArray)
                return ArrayOf(element, 1);
            int rank = type.GetArrayRank();
            return rank >= 2 ? ArrayOf(element, rank) : null;
        }
        if (type.IsEnum)
            return null;
        if (IsJitClass(type))
            return InstanceOf(type);
        return TypeMapper.Scalar(type);
    }
}
