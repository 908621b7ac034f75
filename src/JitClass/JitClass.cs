using System.Reflection;
using Targets.Frontend.Ir;

namespace Targets;

/// <summary>
/// Defines jit class types from C# classes. The class derives from object or from another jit class
/// (single inheritance: the base's layout first, as C++ lays a derived struct out), may be abstract and
/// have virtual, abstract and override members, and has no finalizer and no static mutable fields;
/// its own instance fields become the spec, in declaration order, unless an explicit
/// <see cref="JitSpec"/> is given (which must name exactly the class's own fields; a field declared
/// <c>object</c> takes its type from it).
/// </summary>
public static class JitClass
{
    const BindingFlags Declared = BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic;

    /// <summary>A new jit class type with the spec taken from the fields.</summary>
    public static JitClassType Define<T>() where T : class => Define(typeof(T), null);

    /// <summary>A new jit class type with an explicit spec.</summary>
    public static JitClassType Define<T>(JitSpec spec) where T : class
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Define(typeof(T), spec);
    }

    /// <summary>A new jit class type for <paramref name="type"/> (spec from the fields when <paramref name="spec"/> is null).</summary>
    public static JitClassType Define(Type type, JitSpec? spec)
    {
        ArgumentNullException.ThrowIfNull(type);
        CheckShape(type);
        JitClassType? baseLayout = type.BaseType is { } parent && parent != typeof(object) ? FirstTypedDefinition(parent) ?? Define(parent, null) : null;
        var fields = new List<(string Name, FieldInfo Field)>(); // a loop: LINQ making tuples is JIT-compiled in every process
        foreach (FieldInfo field in type.GetFields(Declared | BindingFlags.Instance))
        {
            if (!Frontend.Il.TypeContext.IsDelegateCache(field)) // a closure's cache of a delegate: compiled code makes the value where it is read
                fields.Add((SpecName(field), field));
        }
        List<(string Name, FieldInfo Field, JitType Type)> typed = spec is null ? FromDeclarations(type, fields) : FromSpec(type, fields, spec);
        JitClassType defined = Layout(type, typed, baseLayout);
        foreach (JitField field in defined.Fields)
        {
            if (field.Field.FieldType == typeof(object))
            {
                FirstTyped.TryAdd(type, defined);
                break;
            }
        }
        return defined;
    }

    // Loops, not LINQ, on the path every class takes (a cache hit's included: it loads no System.Linq).
    static List<(string Name, FieldInfo Field, JitType Type)> FromDeclarations(Type type, List<(string Name, FieldInfo Field)> fields)
    {
        var typed = new List<(string Name, FieldInfo Field, JitType Type)>();
        foreach ((string name, FieldInfo field) in fields)
        {
            JitType jitType = JitType.FromClr(field.FieldType) ?? throw Unsupported(type, name, field.FieldType);
            typed.Add((name, field, jitType));
        }
        return typed;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)] // its LINQ stays off the common path
    static List<(string Name, FieldInfo Field, JitType Type)> FromSpec(Type type, List<(string Name, FieldInfo Field)> fields, JitSpec spec)
    {
        var typed = new List<(string Name, FieldInfo Field, JitType Type)>();
        foreach (KeyValuePair<string, JitType> entry in spec)
        {
            (string Name, FieldInfo Field) match = fields.FirstOrDefault(f => f.Name == entry.Key);
            if (match.Field is null)
                throw new ArgumentException($"Jit class {type.Name}: the spec names field '{entry.Key}', which the class does not have (it has {string.Join(", ", fields.Select(f => f.Name))}).", nameof(spec));
            if (match.Field.FieldType != typeof(object))
            {
                JitType declared = JitType.FromClr(match.Field.FieldType) ?? throw Unsupported(type, entry.Key, match.Field.FieldType);
                if (!declared.Equals(entry.Value))
                    throw new ArgumentException($"Jit class {type.Name}: field '{entry.Key}' is declared {match.Field.FieldType.Name} but the spec says {entry.Value}.", nameof(spec));
            }
            typed.Add((entry.Key, match.Field, entry.Value));
        }
        (string Name, FieldInfo Field) missing = fields.FirstOrDefault(f => typed.All(t => t.Name != f.Name));
        if (missing.Field is not null)
            throw new ArgumentException($"Jit class {type.Name}: the spec does not give field '{missing.Name}' a type; name every field.", nameof(spec));
        return typed;
    }

    static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, JitClassType> FirstTyped = new();

    /// <summary>
    /// The first Define of a class with fields declared <c>object</c> (the one that typed them), or
    /// null: the layout a <see cref="LayoutContext"/> gives such a class unless told otherwise.
    /// </summary>
    public static JitClassType? FirstTypedDefinition(Type type) => FirstTyped.GetValueOrDefault(type);

    /// <summary>
    /// C sequential layout (<see cref="SequentialLayout"/>): a field's alignment is its size (references are pointers), a
    /// struct's its largest field's; a derived class's own fields follow its base's whole layout (size and alignment), so
    /// every base field is where the base's own code reads it.
    /// </summary>
    static JitClassType Layout(Type type, List<(string Name, FieldInfo Field, JitType Type)> fields, JitClassType? baseLayout)
    {
        var sizes = new List<(int, int)>(fields.Count);
        foreach ((_, _, JitType jitType) in fields)
            sizes.Add((jitType.Size, jitType.Alignment));
        SequentialLayout.Result layout = baseLayout is null ? SequentialLayout.Of(sizes) : SequentialLayout.Of(sizes, baseLayout.Size, baseLayout.Alignment);
        var laidOut = new List<JitField>(fields.Count + (baseLayout?.Fields.Count ?? 0));
        if (baseLayout is not null)
            laidOut.AddRange(baseLayout.Fields);
        for (int n = 0; n < fields.Count; n++)
            laidOut.Add(new JitField(fields[n].Name, fields[n].Type, layout.Offsets[n], fields[n].Field));
        int size = baseLayout is not null && fields.Count == 0 ? baseLayout.Size : layout.Size;
        return new JitClassType(type, laidOut, size, layout.Alignment, baseLayout);
    }

    /// <summary>An auto-property's backing field is named by its property.</summary>
    static string SpecName(FieldInfo field) =>
        field.Name.StartsWith('<') && field.Name.EndsWith(">k__BackingField", StringComparison.Ordinal)
            ? field.Name[1..field.Name.IndexOf('>', StringComparison.Ordinal)]
            : field.Name;

    static void CheckShape(Type type)
    {
        if (!type.IsClass || type.IsGenericTypeDefinition)
            throw Shape(type, type.IsClass ? "an open generic class" : $"a {(type.IsInterface ? "interface" : "struct")}", "a jit class is a class with its type arguments given");
        if (type.BaseType is { } parent && parent != typeof(object) && !LayoutContext.IsJitClassType(parent))
            throw Shape(type, $"base class {parent.Name}", "a jit class derives from object or from another [JitClass] class");
        foreach (MethodInfo member in type.GetMethods(Declared | BindingFlags.Instance))
        {
            if (member.IsVirtual && member.IsGenericMethodDefinition)
                throw Shape(type, $"generic virtual member {member.Name}", "virtual members of jit classes are dispatched by the instance's class; make it non-generic or non-virtual");
        }
        if (type.GetMethod("Finalize", Declared | BindingFlags.Instance) is not null)
            throw Shape(type, "a finalizer", "instances are freed by reference counting; the destructor is generated");
        foreach (FieldInfo field in type.GetFields(Declared | BindingFlags.Static))
        {
            if (!field.IsInitOnly && !field.IsLiteral)
                throw Shape(type, $"static mutable field {field.Name}", "use const or static readonly");
        }
    }

    static CompilationException Shape(Type type, string construct, string detail) =>
        new(CompilationErrorKind.UnsupportedConstruct, type.Name, construct, -1, null, 0, detail);

    static CompilationException Unsupported(Type type, string field, Type fieldType) =>
        new(CompilationErrorKind.UnsupportedType, type.Name, $"field '{field}' of type {fieldType.Name}", -1, null, 0,
            "jit class fields are numeric scalars, bool, char, enums, structs (of these, arrays and instances), references to [JitClass] classes, or arrays of numbers, structs or such references (declare it object and give its type in a JitSpec)");
}
