namespace Targets.Frontend.Il.Collections;

/// <summary>
/// What a <see cref="HashSet{T}"/> is in compiled code: a jit class compiled from this C#, the keys of a
/// <see cref="DictionaryOf{TKey, TValue}"/> (whose table is .NET's, and .NET's set runs the same one), so it enumerates,
/// sizes and versions as .NET's set does: adding an element changes the version; removing, clearing and reserving do not. Members
/// keep the names and parameters of <see cref="HashSet{T}"/>'s members (<see cref="CollectionTypes"/> redirects calls by
/// them; a sequence argument is an array).
/// </summary>
#pragma warning disable CA1000, CA1010, CA1065, CA1510, CA1512, CA1710, CA1711, CA1815, CA2201, CA2208 // HashSet's own shape, names and exceptions
internal sealed class HashSetOf<T>
    where T : notnull
{
    readonly DictionaryOf<T, bool> table;

    public HashSetOf() => table = new DictionaryOf<T, bool>();

    public HashSetOf(int capacity) => table = new DictionaryOf<T, bool>(capacity);

    /// <summary><c>new HashSet&lt;T&gt;(array)</c>: sized for the array, then trimmed as .NET trims when most were duplicates.</summary>
    public HashSetOf(T[] collection)
    {
        if (collection is null)
            throw new ArgumentNullException(nameof(collection));
        table = new DictionaryOf<T, bool>(collection.Length);
        foreach (T item in collection)
            table.TryAdd(item, true);
        if (table.Count > 0 && table.Reserve(0, changesVersion: false) / table.Count > 3) // Reserve(0) answers the capacity
            table.TrimExcess();
    }

    public int Count => table.Count;

    public bool Add(T item) => table.TryAdd(item, true);

    public bool Contains(T item) => table.ContainsKey(item);

    public bool Remove(T item) => table.Remove(item);

    public void Clear() => table.Clear();

    public int EnsureCapacity(int capacity) => table.Reserve(capacity, changesVersion: false);

    public void TrimExcess() => table.TrimExcess();

    public void UnionWith(T[] other)
    {
        if (other is null)
            throw new ArgumentNullException(nameof(other));
        foreach (T item in other)
            table.TryAdd(item, true);
    }

    public void ExceptWith(T[] other)
    {
        if (other is null)
            throw new ArgumentNullException(nameof(other));
        if (table.Count == 0)
            return;
        foreach (T item in other)
            table.Remove(item);
    }

    public Enumerator GetEnumerator() => new(table);

    /// <summary><see cref="HashSet{T}.Enumerator"/>: the elements in the table's order, .NET's version check first.</summary>
    public struct Enumerator : IDisposable
    {
        DictionaryOf<T, bool>.Enumerator pairs;

        internal Enumerator(DictionaryOf<T, bool> table) => pairs = table.GetEnumerator();

        public bool MoveNext() => pairs.MoveNext();

        public readonly T Current => pairs.Current.Key;

        public readonly void Dispose()
        {
        }
    }
}
