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
    readonly ConcurrentDictionary<Type, IrType?> valueTypes = new();
    readonly ConcurrentDictionary<Type, string> refusals = new();
    readonly Dictionary<MethodInfo, IrType> functions = [];

    /// <summary>An array of numbers, of structs, or of references to jit class instances or arrays (such elements are references, null or owning one reference each).</summary>
    public IrType ArrayOf(IrType element, int rank = 1)
    {
        Own(element, nameof(element));
        if (!element.IsScalar && element.Kind is not (IrTypeKind.Instance or IrTypeKind.Aggregate) && !(element.Kind == IrTypeKind.Array && !element.IsString))
            throw new ArgumentException($"Expected a scalar, jit class, aggregate or array element type, got {element}.", nameof(element));
        ArgumentOutOfRangeException.ThrowIfLessThan(rank, 1);
        return arrays.GetOrAdd((element, rank), key => new IrType(this, IrTypeKind.Array, key.Item1, key.Item2));
    }

    /// <summary>The type of a .NET <c>string</c> (see <see cref="IrType.IsString"/>): one per context.</summary>
    public IrType String => LazyInitializer.EnsureInitialized(ref stringType, () => new IrType(this, IrTypeKind.Array, IrType.Char, 1, isString: true));

    IrType? stringType;

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
        ArgumentNullException.ThrowIfNull(fields);
        var sizes = new List<(int, int)>();
        foreach ((string field, IrType type) in fields)
        {
            ArgumentNullException.ThrowIfNull(type, nameof(fields));
            sizes.Add((type.Size, type.Alignment));
        }
        SequentialLayout.Result layout = SequentialLayout.Of(sizes);
        return AggregateOf(name, fields, layout.Offsets, layout.Size);
    }

    /// <summary>
    /// The aggregate named <paramref name="name"/> with <paramref name="fields"/> at <paramref name="offsets"/>
    /// in <paramref name="size"/> bytes (a layout the runtime chose, or one read from IR text). Its
    /// alignment is its fields' largest. Refused: fields that overlap, that run past the size, or that
    /// would sit at a misaligned address in some element of an array (a <c>Pack = 1</c> layout).
    /// </summary>
    public IrType AggregateOf(string name, IReadOnlyList<(string Name, IrType Type)> fields, IReadOnlyList<int> offsets, int size, Type? clrType = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(offsets);
        if (offsets.Count != fields.Count)
            throw new ArgumentException($"Aggregate {name}: {fields.Count} fields but {offsets.Count} offsets.", nameof(offsets));
        int alignment = 1;
        var laidOut = new AggregateField[fields.Count];
        for (int n = 0; n < fields.Count; n++)
        {
            (string field, IrType type) = fields[n];
            Own(type, nameof(fields));
            if (!type.IsScalar && !type.IsCounted && type.Kind != IrTypeKind.Aggregate)
                throw new ArgumentException($"Aggregate {name}: field {field} of type {type} (expected a scalar, an array, an instance or an aggregate).", nameof(fields));
            int offset = offsets[n];
            if (offset < 0 || offset + type.Size > size)
                throw new ArgumentException($"Aggregate {name}: field {field} at {offset} runs past the size {size}.", nameof(offsets));
            if (offset % type.Alignment != 0 || size % type.Alignment != 0)
                throw new ArgumentException($"Aggregate {name}: field {field} ({type}, {type.Alignment}-byte aligned) at offset {offset} of a {size}-byte value is misaligned in memory or in an array of it (a packed layout).", nameof(offsets));
            for (int m = 0; m < n; m++)
            {
                if (offset < laidOut[m].Offset + laidOut[m].Type.Size && laidOut[m].Offset < offset + type.Size)
                    throw new ArgumentException($"Aggregate {name}: fields {laidOut[m].Name} and {field} overlap (an explicit layout that makes a union).", nameof(offsets));
            }
            alignment = Math.Max(alignment, type.Alignment);
            laidOut[n] = new AggregateField(field, type, offset);
        }
        if (size < 1)
            throw new ArgumentException($"Aggregate {name}: size {size}.", nameof(size));
        IrType made = aggregates.GetOrAdd(name, _ => new IrType(this, IrTypeKind.Aggregate, aggregate: new AggregateLayout(name, laidOut, size, alignment, clrType)));
        if (!made.Aggregate!.Fields.SequenceEqual(laidOut) || made.Aggregate.Size != size)
            throw new ArgumentException($"This type context already has an aggregate {name}: {made.Aggregate}.", nameof(fields));
        return made;
    }

    /// <summary>
    /// The SIMD vector named <paramref name="name"/> of <paramref name="lanes"/> lanes of <paramref name="lane"/> (a number
    /// other than bool and char): an aggregate with one field per lane, <c>e0</c>, <c>e1</c>, …, packed, aligned as a
    /// lane is (.NET keeps vectors in arrays and on the heap at any multiple of that), made once per name.
    /// </summary>
    public IrType VectorOf(string name, IrType lane, int lanes, Type? clrType = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(lane);
        if (!lane.IsScalar || lane == IrType.Bool || lane == IrType.Char)
            throw new ArgumentException($"Vector {name}: lanes of {lane} (expected a number type other than bool and char).", nameof(lane));
        if (lanes < 1 || (lanes & (lanes - 1)) != 0 || lanes * lane.Size > 64)
            throw new ArgumentException($"Vector {name}: {lanes} lanes of {lane} (expected a power of two, at most 64 bytes).", nameof(lanes));
        var fields = new AggregateField[lanes];
        for (int n = 0; n < lanes; n++)
            fields[n] = new AggregateField($"e{n}", lane, n * lane.Size);
        IrType made = aggregates.GetOrAdd(name, _ => new IrType(this, IrTypeKind.Aggregate,
            aggregate: new AggregateLayout(name, fields, lanes * lane.Size, lane.Alignment, clrType, lanes: lanes)));
        if (made.Aggregate!.Lanes != lanes || made.Aggregate.LaneType != lane)
            throw new ArgumentException($"This type context already has an aggregate {name}: {made.Aggregate}.", nameof(name));
        return made;
    }

    /// <summary>
    /// The type of a function value that is <paramref name="method"/> (see <see cref="AggregateLayout.Function"/>),
    /// named <c>fn.Owner.Method</c>, one per method: an aggregate without fields, or for a lambda that
    /// captures variables (an instance method of its <see cref="IsClosure"/> class) one field, <c>Target</c>,
    /// the closure instance it runs on (counted as a struct's reference is).
    /// </summary>
    public IrType FunctionOf(MethodInfo method)
    {
        ArgumentNullException.ThrowIfNull(method);
        lock (functions)
        {
            if (functions.TryGetValue(method, out IrType? known))
                return known;
            string baseName = $"fn.{method.DeclaringType?.Name}.{method.Name}";
            string name = baseName;
            for (int n = 2; aggregates.ContainsKey(name); n++)
                name = $"{baseName}.{n}";
            AggregateLayout layout = !method.IsStatic && method.DeclaringType is { } owner && IsClosure(owner)
                ? new AggregateLayout(name, [new AggregateField("Target", InstanceOf(owner), 0)], 8, 8, null, method)
                : new AggregateLayout(name, [], 1, 1, null, method);
            var made = new IrType(this, IrTypeKind.Aggregate, aggregate: layout);
            aggregates[name] = made;
            functions[method] = made;
            return made;
        }
    }

    /// <summary>
    /// The class the C# compiler makes for the variables a lambda captures (a display class): compiled
    /// code treats it as a jit class, so a closure is an NRT-counted instance and its lambda a member.
    /// </summary>
    public static bool IsClosure(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.IsClass && type.Name.StartsWith("<>c__DisplayClass", StringComparison.Ordinal)
            && type.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute), inherit: false);
    }

    /// <summary>
    /// A closure's cache of a delegate it makes (<c>&lt;&gt;9__N</c>, where a lambda is made in a loop): not part of
    /// the closure's layout; compiled code makes the function value where the cache is read.
    /// </summary>
    public static bool IsDelegateCache(FieldInfo field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field.Name.StartsWith("<>9__", StringComparison.Ordinal) && field.DeclaringType is { } owner && IsClosure(owner)
            && typeof(Delegate).IsAssignableFrom(field.FieldType);
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

    /// <summary>The IR type of <paramref name="type"/>; null for a type the compiler cannot represent (<see cref="WhyNot"/> may say why).</summary>
    public IrType? Map(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (Collections.CollectionTypes.SubstituteOf(type) is { } substitute)
            return Map(substitute); // List<T> is its jit class, List<T>.Enumerator its struct
        if (type.IsByRef)
            return Map(type.GetElementType()!) is { } target && (target.IsScalar || target.Kind == IrTypeKind.Aggregate) ? ByRefTo(target) : null;
        if (type.IsArray)
        {
            // Arrays of numbers, structs, jit class instances or arrays (jagged arrays: each element a counted reference).
            IrType? element = Map(type.GetElementType()!);
            if (element is null || !element.IsScalar && element.Kind is not (IrTypeKind.Instance or IrTypeKind.Aggregate or IrTypeKind.Array))
                return null;
            // T[] is an SZ array; T[*] (a rank-1 array with bounds) is not something C# creates.
            if (type.IsSZArray)
                return ArrayOf(element, 1);
            int rank = type.GetArrayRank();
            return rank >= 2 ? ArrayOf(element, rank) : null;
        }
        if (type.IsEnum)
            return Map(Enum.GetUnderlyingType(type)); // an enum is its underlying integer in compiled code, as in IL
        if (IsJitClass(type))
            return InstanceOf(type);
        // An interface of the user's that jit classes implement: a reference to an instance of one of them.
        if (Il.ClassHierarchy.IsUserInterface(type) && Il.ClassHierarchy.ConcreteClasses(type, this).Count > 0)
            return InstanceOf(type);
        if (TypeMapper.Scalar(type) is { } scalar)
            return scalar;
        if (type == typeof(string))
            return String;
        return type.IsValueType ? valueTypes.GetOrAdd(type, ValueType) : null;
    }

    /// <summary>Why <paramref name="type"/>, a struct, has no IR type (for an error), or null when there is nothing to add.</summary>
    public string? WhyNot(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (refusals.TryGetValue(type, out string? own) && Map(type) is null)
            return own; // an array refused for what it holds (SIMD vectors)
        while (type.HasElementType)
            type = type.GetElementType()!;
        return Map(type) is null ? refusals.GetValueOrDefault(type) : null;
    }

    /// <summary>
    /// The aggregate of a struct: its fields as the runtime lays them out (<see cref="ManagedLayout"/>),
    /// each a number, an enum, an array, a jit class instance or another such struct (the references
    /// are counted: see <see cref="AggregateLayout.CountedLeaves"/>). Null (with the reason kept for <see cref="WhyNot"/>)
    /// for the structs compiled code cannot hold: ref structs, <c>decimal</c>, Targets' own
    /// kernel-index and Prange types (the importer gives those their meaning), and structs with a field
    /// of any other type.
    /// </summary>
    IrType? ValueType(Type type)
    {
        // A struct that holds an array of itself (struct Tree { Tree[] Children; }) reaches itself
        // while its fields are mapped: its aggregate would have to exist before it is made.
        HashSet<Type> mapping = structsBeingMapped ??= [];
        if (!mapping.Add(type))
        {
            refusals[type] = $"struct {type.Name} holds an array of itself (directly or through other structs): make the array's element a jit class";
            return null;
        }
        try
        {
            return MappedValueType(type);
        }
        finally
        {
            mapping.Remove(type);
        }
    }

    [ThreadStatic]
    static HashSet<Type>? structsBeingMapped;

    IrType? MappedValueType(Type type)
    {
        if (SpanTypes.IsSpan(type))
            return SpanType(type);
        if (SimdTypes.IsVector(type))
            return VectorType(type);
        string? refusal = type switch
        {
            _ when type.IsByRefLike => $"{type.Name} is a ref struct (of those, only Span<T> and ReadOnlySpan<T> compile)",
            _ when type.ContainsGenericParameters => $"{type.Name} is an open generic type",
            _ when type == typeof(decimal) => "decimal is not supported in compiled code (use double, or long for fixed-point)",
            _ when type.Assembly == typeof(TypeContext).Assembly && SpanTypes.ViewOf(type) is null && !Collections.CollectionTypes.IsSubstituteOrPart(type) => null, // Index1D, PrangeRange, …: the importer's own
            _ => "",
        };
        if (refusal != "")
        {
            if (refusal is not null)
                refusals[type] = refusal;
            return null;
        }
        ManagedLayout.Result layout = ManagedLayout.Of(type);
        if (InlineArrays.LengthOf(type) is { } length)
            return InlineArrayType(type, layout, length);
        var fields = new (string Name, IrType Type)[layout.Fields.Length];
        for (int n = 0; n < fields.Length; n++)
        {
            FieldInfo field = layout.Fields[n];
            if (field.GetCustomAttribute<System.Runtime.CompilerServices.FixedBufferAttribute>() is not null)
            {
                refusals[type] = $"struct {type.Name}'s field {field.Name} is a fixed-size buffer (unsafe code, reached through pointers, which compiled code has not): "
                    + "declare it as an [InlineArray(n)] struct instead";
                return null;
            }
            IrType? mapped = Map(field.FieldType);
            if (mapped is { IsString: true })
            {
                refusals[type] = $"struct {type.Name}'s field {field.Name} is a string: compiled code reads strings .NET lends it for a call (and literals), and a struct could keep one past the call";
                return null;
            }
            if (mapped is null || !mapped.IsScalar && !mapped.IsCounted && mapped.Kind != IrTypeKind.Aggregate)
            {
                string inner = WhyNot(field.FieldType) is { } why ? $": {why}" : "";
                refusals[type] = $"struct {type.Name}'s field {field.Name} is a {field.FieldType.Name} (struct fields are numbers, enums, arrays of them, jit class instances and other such structs){inner}";
                return null;
            }
            fields[n] = (field.Name, mapped);
        }
        try
        {
            return AggregateOf(UniqueName(type), fields, layout.Offsets, layout.Size, type);
        }
        catch (ArgumentException e)
        {
            refusals[type] = $"struct {type.Name}'s layout: {e.Message}";
            return null;
        }
    }

    /// <summary>
    /// An <c>[InlineArray(n)]</c> struct: its one field <paramref name="length"/> times over, one element after the other
    /// as .NET lays them out, the first under the field's name (the struct's own code reads it), the others
    /// <c>name[k]</c>. Null, with the reason, for elements a struct cannot hold and for more than
    /// <see cref="InlineArrays.MostElements"/> of them.
    /// </summary>
    IrType? InlineArrayType(Type type, ManagedLayout.Result layout, int length)
    {
        FieldInfo field = layout.Fields[0];
        IrType? element = Map(field.FieldType);
        string? refusal = length > InlineArrays.MostElements
            ? $"inline array {type.Name} has {length} elements: compiled code holds inline arrays of up to {InlineArrays.MostElements} (use an array for more)"
            : element is null || !element.IsScalar && !element.IsCounted && element.Kind != IrTypeKind.Aggregate || element.IsString
                ? $"inline array {type.Name}'s element is a {field.FieldType.Name} (inline arrays hold numbers, enums, arrays of them, jit class instances and structs of these)"
                : null;
        if (refusal is not null)
        {
            refusals[type] = refusal;
            return null;
        }
        var fields = new (string Name, IrType Type)[length];
        var offsets = new int[length];
        for (int k = 0; k < length; k++)
        {
            fields[k] = (k == 0 ? field.Name : $"{field.Name}[{k}]", element!);
            offsets[k] = k * element!.Size;
        }
        return AggregateOf(UniqueName(type), fields, offsets, layout.Size, type);
    }

    /// <summary>A SIMD vector's aggregate (<see cref="VectorOf"/>); null, with the reason, for lanes that are not numbers.</summary>
    IrType? VectorType(Type vector)
    {
        Type lane = vector.GetGenericArguments()[0];
        if (TypeMapper.Scalar(lane) is not { } scalar || scalar == IrType.Void || scalar == IrType.Bool || scalar == IrType.Char)
        {
            refusals[vector] = $"{ReadableName(vector)}: .NET's SIMD vectors hold numbers (byte … ulong, nint, nuint, float, double), not {lane.Name}";
            return null;
        }
        return VectorOf(UniqueName(vector), scalar, SimdTypes.Lanes(vector), vector);
    }

    /// <summary>A span's aggregate, that of its <see cref="SpanView{T}"/> (null, with the reason, for an element no array holds).</summary>
    IrType? SpanType(Type span)
    {
        Type element = span.GetGenericArguments()[0];
        if (Map(element) is not { } mapped || !mapped.IsScalar && mapped.Kind is not (IrTypeKind.Instance or IrTypeKind.Aggregate))
        {
            string inner = WhyNot(element) is { } why ? $": {why}" : "";
            refusals[span] = $"a span of {element.Name} (spans hold what arrays hold: numbers, enums, structs of them and jit class instances){inner}";
            return null;
        }
        return ValueType(SpanTypes.ViewOf(span)!);
    }

    /// <summary>The name an aggregate of <paramref name="type"/> prints as: <c>Vec3</c>, <c>Pair&lt;Int32;Single&gt;</c>, with <c>#2</c>… when two types share one.</summary>
    string UniqueName(Type type)
    {
        string name = ReadableName(type);
        // An aggregate of the name read from IR text (no .NET type) is this struct's when its layout is (AggregateOf checks).
        for (int n = 2; aggregates.TryGetValue(name, out IrType? taken) && taken.Aggregate!.ClrType is { } other && other != type; n++)
            name = $"{ReadableName(type)}#{n}";
        return name;
    }

    static string ReadableName(Type type)
    {
        if (!type.IsGenericType)
            return type.Name;
        string name = type.Name;
        int tick = name.IndexOf('`', StringComparison.Ordinal);
        var arguments = type.GetGenericArguments();
        var names = new string[arguments.Length];
        for (int n = 0; n < names.Length; n++)
            names[n] = ReadableName(arguments[n]);
        return $"{(tick < 0 ? name : name[..tick])}<{string.Join(';', names)}>";
    }
}
