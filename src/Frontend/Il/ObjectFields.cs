using System.Collections.Concurrent;
using System.Reflection;

namespace Targets.Frontend.Il;

/// <summary>
/// The types that jit class fields declared <c>object</c> have in compiled code. A spec gives
/// them (<c>JitClass.Define&lt;T&gt;(spec)</c>); the first Define of such a class fixes its compiled
/// layout and records them here, and the importer reads them. Compiled code treats the field as a
/// field of that type, as Numba does: zero (not null) until first stored, boxing into it and
/// unboxing from it are free, and storing a box of another type is a compilation error.
/// </summary>
public static class ObjectFields
{
    static readonly ConcurrentDictionary<FieldInfo, Type> Types = new();

    /// <summary>Records <paramref name="field"/>'s type unless one is recorded already (the first Define wins).</summary>
    public static void Record(FieldInfo field, Type type)
    {
        ArgumentNullException.ThrowIfNull(field);
        ArgumentNullException.ThrowIfNull(type);
        Types.TryAdd(field, type);
    }

    /// <summary>The recorded type, or null when no Define has given one.</summary>
    public static Type? TypeOf(FieldInfo field) => Types.GetValueOrDefault(field);
}
