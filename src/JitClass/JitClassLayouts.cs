using System.Collections.Concurrent;

namespace Targets;

/// <summary>
/// The layout compiled code uses for a [JitClass] class when no explicit type was defined: one
/// <see cref="JitClassType"/> per class, spec from its fields, made on first use.
/// </summary>
public static class JitClassLayouts
{
    static readonly ConcurrentDictionary<Type, Lazy<JitClassType>> Layouts = new();

    /// <summary>The default layout of <paramref name="type"/>; a class that cannot be a jit class is a CompilationException.</summary>
    public static JitClassType For(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return Layouts.GetOrAdd(type, t => new Lazy<JitClassType>(() => JitClass.Define(t, null))).Value;
    }
}
