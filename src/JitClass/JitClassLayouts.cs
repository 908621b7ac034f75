using System.Collections.Concurrent;
using Targets.Frontend.Il;

namespace Targets;

/// <summary>
/// The layout compiled code uses for a [JitClass] class, one per class, fixed on first use: the
/// spec from its fields in declaration order; for a class with fields declared <c>object</c>
/// (which only a spec can type), the layout of its first <see cref="JitClass.Define(Type, JitSpec?)"/>.
/// </summary>
public static class JitClassLayouts
{
    static readonly ConcurrentDictionary<Type, JitClassType> Layouts = new();

    /// <summary>The compiled layout of <paramref name="type"/>; a class that cannot be a jit class is a CompilationException.</summary>
    public static JitClassType For(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (Layouts.TryGetValue(type, out JitClassType? layout))
            return layout;
        return Layouts.GetOrAdd(type, JitClass.Define(type, null));
    }

    /// <summary>
    /// Called by every Define: the first Define of a class with object fields fixes its compiled
    /// layout and the types of those fields.
    /// </summary>
    internal static void Offer(JitClassType defined)
    {
        List<JitField> objects = defined.Fields.Where(f => f.Field.FieldType == typeof(object)).ToList();
        if (objects.Count == 0 || !Layouts.TryAdd(defined.ClrType, defined))
            return;
        foreach (JitField field in objects)
            ObjectFields.Record(field.Field, field.Type.ClrType!);
    }
}
