namespace Targets.Frontend.Ir;

/// <summary>
/// A jit class's identity in compiled code, the same in every process and for every Define of the class: what a
/// class record holds and what virtual dispatch and type tests compare (63 bits of FNV-1a of the assembly's name
/// and the class's full name, so cached native code stays valid across runs).
/// </summary>
public static class ClassIdentity
{
    // Weakly: a class of a collectible load context (the fuzzer loads each program into one) must stay collectible.
    static readonly System.Collections.Concurrent.ConcurrentDictionary<long, WeakReference<Type>> Named = new();

    public static long Of(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        ulong hash = 14695981039346656037;
        foreach (char c in $"{type.Assembly.GetName().Name}|{type.FullName}")
            hash = (hash ^ c) * 1099511628211;
        long id = (long)(hash >> 1);
        if (!Named.TryGetValue(id, out WeakReference<Type>? known) || !known.TryGetTarget(out Type? held) || held != type)
            Named[id] = new WeakReference<Type>(type);
        return id;
    }

    /// <summary>The ids of <paramref name="type"/>'s classes from the root of its hierarchy (the class below object) down to itself: a class record's ancestry.</summary>
    public static IReadOnlyList<long> Ancestry(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var ids = new List<long>();
        for (Type? t = type; t is not null && t != typeof(object); t = t.BaseType)
            ids.Insert(0, Of(t));
        return ids;
    }

    /// <summary>The class with id <paramref name="id"/>, or null when this process made no such id.</summary>
    public static Type? TypeOf(long id) => Named.TryGetValue(id, out WeakReference<Type>? known) && known.TryGetTarget(out Type? type) ? type : null;

    /// <summary>The full name of the class with id <paramref name="id"/> (every id compiled code holds was made by <see cref="Of"/> in this process).</summary>
    public static string NameOf(long id) => TypeOf(id) is { } type ? type.FullName ?? type.Name : $"(class {id})";
}
