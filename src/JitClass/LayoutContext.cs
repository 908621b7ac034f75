using System.Collections.Concurrent;
using System.Reflection;
using Targets.Frontend.Il;

namespace Targets;

/// <summary>How a target represents a jit class instance in compiled code.</summary>
public enum InstanceRepresentation
{
    /// <summary>A pointer to a reference-counted NRT allocation holding the C struct (cpu, parallel): mutable.</summary>
    Counted,
    /// <summary>The C struct itself, passed by value (cuda): immutable, no NRT.</summary>
    ByValue,
}

/// <summary>
/// The type-and-layout context of a compilation: which classes are jit classes (those marked
/// <see cref="JitClassAttribute"/>, and the closures of lambdas that capture variables), each one's C layout, the types of its fields declared
/// <c>object</c>, and how instances are represented. A layout is fixed in a context on first use
/// (by <see cref="Use"/>, or else from the class's first <see cref="JitClass.Define(Type, JitSpec?)"/>
/// that typed its object fields, or else from its fields in order) and never changes there, so
/// code compiled under a context may be cached under it. Contexts are independent: two targets
/// may lay the same class out differently in one process. <see cref="With"/> derives the context
/// in which one class has another layout (another <c>Define</c> of it): compiled code is
/// specialised per layout by compiling under that context, as Numba dispatches on instance types.
/// </summary>
public sealed class LayoutContext : TypeContext
{
    static int nextId;

    readonly ConcurrentDictionary<Type, JitClassType> layouts = new();
    readonly LayoutContext? parent;
    readonly ConcurrentDictionary<JitClassType, LayoutContext> derived = new();

    public LayoutContext(InstanceRepresentation representation = InstanceRepresentation.Counted)
    {
        Representation = representation;
        Id = Interlocked.Increment(ref nextId);
    }

    /// <summary>The context <paramref name="parent"/> derives for <paramref name="layout"/> (see <see cref="With"/>).</summary>
    LayoutContext(LayoutContext parent, JitClassType layout)
        : this(parent.Representation)
    {
        this.parent = parent;
        layouts[layout.ClrType] = layout;
    }

    /// <summary>
    /// This context where <paramref name="layout"/>'s class has that layout: this context itself
    /// when the class is already laid out the same way here, else a derived context (one per
    /// layout, made once, whichever Define asks) that lays every other class out as this one does.
    /// </summary>
    public LayoutContext With(JitClassType layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        if (SameLayout(Layout(layout.ClrType), layout))
            return this;
        // Two Defines with the same spec are two types with one layout: one derived context serves both.
        foreach ((JitClassType known, LayoutContext context) in derived)
        {
            if (SameLayout(known, layout))
                return context;
        }
        return derived.GetOrAdd(layout, l => new LayoutContext(this, l));
    }

    public InstanceRepresentation Representation { get; }

    /// <summary>Names this context in messages and dumps.</summary>
    public int Id { get; }

    public override bool IsJitClass(Type type) => IsJitClassType(type);

    /// <summary>A class marked <see cref="JitClassAttribute"/>, a lambda's closure (<see cref="TypeContext.IsClosure"/>), or a collection's substitute (<c>List&lt;T&gt;</c>'s): what every context compiles as a jit class.</summary>
    public static bool IsJitClassType(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.IsClass && type.IsDefined(typeof(JitClassAttribute), inherit: false) || IsClosure(type) || type.IsClass && Frontend.Il.Collections.CollectionTypes.IsSubstitute(type);
    }

    /// <summary>The layout compiled code uses for <paramref name="type"/> in this context, fixed on first use.</summary>
    /// <exception cref="CompilationException">The class cannot be a jit class (or has object fields no Define has typed).</exception>
    public JitClassType Layout(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (layouts.TryGetValue(type, out JitClassType? layout))
            return layout;
        return layouts.GetOrAdd(type, parent?.Layout(type) ?? JitClass.FirstTypedDefinition(type) ?? JitClass.Define(type, null));
    }

    /// <summary>
    /// Fixes <paramref name="type"/>'s layout in this context (a spec that types object fields, or
    /// reorders fields); returns the layout in force, which is <paramref name="type"/> unless the
    /// class was already laid out differently here.
    /// </summary>
    /// <exception cref="ArgumentException">The class already has another layout in this context.</exception>
    public JitClassType Use(JitClassType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        JitClassType fixedLayout = layouts.GetOrAdd(type.ClrType, type);
        if (fixedLayout != type && !SameLayout(fixedLayout, type))
            throw new ArgumentException($"{type}: this layout context already lays {type.Name} out as {fixedLayout}; a context has one layout per class (use another context).", nameof(type));
        return fixedLayout;
    }

    /// <summary>Whether two types of one class put the same fields, of the same types, at the same offsets.</summary>
    public static bool SameLayout(JitClassType a, JitClassType b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.ClrType == b.ClrType && a.Fields.Select(f => (f.Name, f.Offset, f.Type)).SequenceEqual(b.Fields.Select(f => (f.Name, f.Offset, f.Type)));
    }

    public override Type? ObjectFieldType(FieldInfo field)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (field.DeclaringType is not { } owner || !IsJitClass(owner))
            return null;
        if (!layouts.ContainsKey(owner) && parent is not null)
            return parent.ObjectFieldType(field);
        JitClassType? layout = layouts.TryGetValue(owner, out JitClassType? known) ? known : JitClass.FirstTypedDefinition(owner) is not null ? Layout(owner) : null;
        return layout?.Fields.FirstOrDefault(f => f.Field == field)?.Type.ClrType;
    }

    public override string HowToTypeObjectField(FieldInfo field)
    {
        ArgumentNullException.ThrowIfNull(field);
        string owner = field.DeclaringType?.Name ?? "the class";
        return $"give it a type with JitClass.Define<{owner}>(spec) before compiling code that uses it: compiled code takes object fields' types from the class's first Define (or from a spec given to the target's layout context)";
    }

    public override string ToString() => $"layout context {Id} ({Representation})";
}
