using Targets.Frontend.Il.Collections;

namespace Targets.Cpu.Host;

/// <summary>
/// How one closed collection type (<c>List&lt;int&gt;</c>, <c>Dictionary&lt;long, double&gt;</c>, …) crosses between .NET
/// and compiled code, whose containers are jit classes of their own (<see cref="CollectionTypes"/>): by copying its
/// contents, in .NET's enumeration order, into a new compiled container (<see cref="In"/>), out of one into a new .NET
/// object (<see cref="Out"/>), or back into the .NET object it was copied from (<see cref="Refill"/>). The copies keep the
/// order .NET enumerates, so a list, queue or stack is the same sequence on both sides, and a dictionary or set
/// enumerates in the same order after each crossing. Elements are plain data (numbers, enums, structs of them):
/// <see cref="Frontend.FrontendCompiler.ThrowIfCollectionsCross"/> refuses the rest when the method is compiled.
/// </summary>
internal abstract class CollectionCrossing
{
    /// <summary>The crossing of <paramref name="declared"/>, or null where it is not a collection compiled code copies.</summary>
    public static CollectionCrossing? For(Type declared)
    {
        if (CollectionTypes.SubstituteOf(declared) is not { IsNested: false })
            return null;
        Type definition = declared.GetGenericTypeDefinition();
        Type crossing = definition == typeof(List<>) ? typeof(ListCrossing<>)
            : definition == typeof(Dictionary<,>) ? typeof(DictionaryCrossing<,>)
            : definition == typeof(HashSet<>) ? typeof(HashSetCrossing<>)
            : definition == typeof(Queue<>) ? typeof(QueueCrossing<>)
            : typeof(StackCrossing<>);
        return (CollectionCrossing)Activator.CreateInstance(crossing.MakeGenericType(declared.GetGenericArguments()))!;
    }

    /// <summary>An element, key or value type of <paramref name="declared"/> that is or holds references (which cannot cross), or null.</summary>
    public static Type? ElementsHoldingReferences(Type declared) => declared.GetGenericArguments().FirstOrDefault(CollectionTypes.HoldsReferences);

    /// <summary>The .NET type that crosses.</summary>
    public abstract Type Declared { get; }

    /// <summary>
    /// Why <paramref name="collection"/> cannot cross, or null: a dictionary or set that compares with a comparer other than
    /// the default (compiled code's containers compare as <see cref="EqualityComparer{T}.Default"/> does).
    /// </summary>
    public virtual string? Refusal(object collection) => null;

    /// <summary>A new compiled container holding the contents of <paramref name="collection"/>; the box owns its one reference.</summary>
    public abstract JitObject In(HostTarget target, object collection);

    /// <summary>A new .NET collection holding the contents of the compiled container <paramref name="box"/>.</summary>
    public abstract object Out(JitObject box);

    /// <summary>Replaces the contents of <paramref name="collection"/> with those of <paramref name="box"/> (what the call left there).</summary>
    public abstract void Refill(JitObject box, object collection);

    /// <summary>A new compiled container of <paramref name="target"/>'s layout, made by its constructor from <paramref name="arguments"/>.</summary>
    protected JitObject New(HostTarget target, params object?[] arguments) =>
        target.New(target.Layouts.Layout(CollectionTypes.SubstituteOf(Declared)!), arguments);

    /// <summary>What a comparer other than the default makes of a dictionary's keys or a set's elements.</summary>
    protected static string? ComparerRefusal<T>(IEqualityComparer<T> comparer, string what) =>
        comparer == EqualityComparer<T>.Default ? null
            : $"its {what} compare with {comparer.GetType().Name}, and compiled code's containers compare with EqualityComparer<{typeof(T).Name}>.Default";
}

/// <summary>A <see cref="List{T}"/>: its elements by index.</summary>
internal sealed class ListCrossing<T> : CollectionCrossing
{
    public override Type Declared => typeof(List<T>);

    public override JitObject In(HostTarget target, object collection) => New(target, ((List<T>)collection).ToArray());

    public override object Out(JitObject box) => new List<T>(Elements(box));

    public override void Refill(JitObject box, object collection)
    {
        var list = (List<T>)collection;
        list.Clear();
        list.AddRange(Elements(box));
    }

    static T[] Elements(JitObject box) => (T[])box.Invoke(nameof(List<T>.ToArray))!;
}

/// <summary>A <see cref="Dictionary{TKey, TValue}"/>: its keys and values in enumeration order, added in that order.</summary>
internal sealed class DictionaryCrossing<TKey, TValue> : CollectionCrossing where TKey : notnull
{
    public override Type Declared => typeof(Dictionary<TKey, TValue>);

    public override string? Refusal(object collection) => ComparerRefusal(((Dictionary<TKey, TValue>)collection).Comparer, "keys");

    public override JitObject In(HostTarget target, object collection)
    {
        var dictionary = (Dictionary<TKey, TValue>)collection;
        JitObject box = New(target);
        box.Invoke("Host_AddRange", dictionary.Keys.ToArray(), dictionary.Values.ToArray());
        return box;
    }

    public override object Out(JitObject box)
    {
        var dictionary = new Dictionary<TKey, TValue>();
        Add(box, dictionary);
        return dictionary;
    }

    public override void Refill(JitObject box, object collection)
    {
        var dictionary = (Dictionary<TKey, TValue>)collection;
        dictionary.Clear();
        Add(box, dictionary);
    }

    /// <summary>Adds the pairs in enumeration order: a .NET dictionary added to after a Clear enumerates them in that order.</summary>
    static void Add(JitObject box, Dictionary<TKey, TValue> dictionary)
    {
        var keys = (TKey[])box.Invoke("Host_Keys")!;
        var values = (TValue[])box.Invoke("Host_Values")!;
        dictionary.EnsureCapacity(keys.Length);
        for (int i = 0; i < keys.Length; i++)
            dictionary.Add(keys[i], values[i]);
    }
}

/// <summary>A <see cref="HashSet{T}"/>: its elements in enumeration order, added in that order.</summary>
internal sealed class HashSetCrossing<T> : CollectionCrossing
{
    public override Type Declared => typeof(HashSet<T>);

    public override string? Refusal(object collection) => ComparerRefusal(((HashSet<T>)collection).Comparer, "elements");

    public override JitObject In(HostTarget target, object collection) => New(target, ((HashSet<T>)collection).ToArray());

    public override object Out(JitObject box) => new HashSet<T>(Elements(box));

    public override void Refill(JitObject box, object collection)
    {
        var set = (HashSet<T>)collection;
        set.Clear();
        set.UnionWith(Elements(box));
    }

    static T[] Elements(JitObject box) => (T[])box.Invoke("Host_ToArray")!;
}

/// <summary>A <see cref="Queue{T}"/>: its elements from head to tail.</summary>
internal sealed class QueueCrossing<T> : CollectionCrossing
{
    public override Type Declared => typeof(Queue<T>);

    public override JitObject In(HostTarget target, object collection) => New(target, ((Queue<T>)collection).ToArray());

    public override object Out(JitObject box) => new Queue<T>(Elements(box));

    public override void Refill(JitObject box, object collection)
    {
        var queue = (Queue<T>)collection;
        queue.Clear();
        foreach (T item in Elements(box))
            queue.Enqueue(item);
    }

    static T[] Elements(JitObject box) => (T[])box.Invoke(nameof(Queue<T>.ToArray))!;
}

/// <summary>A <see cref="Stack{T}"/>: its elements from bottom to top (both sides' ToArray give them top first).</summary>
internal sealed class StackCrossing<T> : CollectionCrossing
{
    public override Type Declared => typeof(Stack<T>);

    public override JitObject In(HostTarget target, object collection) => New(target, BottomFirst(((Stack<T>)collection).ToArray()));

    public override object Out(JitObject box) => new Stack<T>(BottomFirst((T[])box.Invoke(nameof(Stack<T>.ToArray))!));

    public override void Refill(JitObject box, object collection)
    {
        var stack = (Stack<T>)collection;
        stack.Clear();
        foreach (T item in BottomFirst((T[])box.Invoke(nameof(Stack<T>.ToArray))!))
            stack.Push(item);
    }

    static T[] BottomFirst(T[] topFirst)
    {
        Array.Reverse(topFirst);
        return topFirst;
    }
}
