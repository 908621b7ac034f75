using System.Runtime.CompilerServices;

namespace Targets.Frontend.Il.Collections;

/// <summary>
/// What a <see cref="HashSet{T}"/> is in compiled code: a jit class compiled from this C#, laid out and run as .NET's own
/// set (the table of <see cref="DictionaryOf{TKey, TValue}"/> without values: entries of hash, next and element, so an
/// <c>int</c> set's entry is 12 bytes as .NET's), so it enumerates, sizes and versions as .NET's set does: adding an
/// element changes the version; removing, clearing and reserving do not. Members keep the names and parameters of
/// <see cref="HashSet{T}"/>'s members (<see cref="CollectionTypes"/> redirects calls by them; a sequence argument is an
/// array).
/// </summary>
#pragma warning disable CA1000, CA1010, CA1065, CA1510, CA1512, CA1710, CA1711, CA1815, CA2201, CA2208 // HashSet's own shape, names and exceptions
internal sealed class HashSetOf<T>
    where T : notnull
{
    const int StartOfFreeList = -3;

    int[] buckets;
    Entry[] entries;
    ulong fastModMultiplier;
    int count;
    int freeList;
    int freeCount;
    int version;

    /// <summary>An entry: the element's hash, the next entry of its bucket (or, removed, the free list's next below <see cref="StartOfFreeList"/>), the element.</summary>
    internal struct Entry
    {
        public uint HashCode;
        public int Next;
        public T Value;
    }

    public HashSetOf()
    {
        // Empty arrays rather than .NET's nulls (compiled code makes new ones, their counts their own): no null checks on
        // the lookup path; the first insertion sizes them.
        buckets = Array.Empty<int>();
        entries = Array.Empty<Entry>();
    }

    public HashSetOf(int capacity)
    {
        if (capacity < 0)
            throw new ArgumentOutOfRangeException(nameof(capacity));
        buckets = Array.Empty<int>();
        entries = Array.Empty<Entry>();
        if (capacity > 0)
            Initialize(capacity);
    }

    /// <summary><c>new HashSet&lt;T&gt;(array)</c>: sized for the array, then trimmed as .NET trims when most were duplicates.</summary>
    public HashSetOf(T[] collection)
    {
        if (collection is null)
            throw new ArgumentNullException(nameof(collection));
        buckets = Array.Empty<int>();
        entries = Array.Empty<Entry>();
        if (collection.Length > 0)
            Initialize(collection.Length);
        foreach (T item in collection)
            Add(item);
        if (count > 0 && entries.Length / count > 3)
            TrimExcess();
    }

    public int Count => count - freeCount;

    public bool Add(T item)
    {
        if (buckets.Length == 0)
            Initialize(0);
        uint hashCode = (uint)EqualityComparer<T>.Default.GetHashCode(item);
        uint bucket = Bucket(hashCode);
        int i = buckets[bucket] - 1;
        while ((uint)i < (uint)entries.Length)
        {
            if (entries[i].HashCode == hashCode && EqualityComparer<T>.Default.Equals(entries[i].Value, item))
                return false;
            i = entries[i].Next;
        }
        int index;
        if (freeCount > 0)
        {
            index = freeList;
            freeList = StartOfFreeList - entries[freeList].Next;
            freeCount--;
        }
        else
        {
            if (count == entries.Length)
            {
                Resize(HashPrimes.ExpandPrime(count));
                bucket = Bucket(hashCode);
            }
            index = count;
            count++;
        }
        entries[index].HashCode = hashCode;
        entries[index].Next = buckets[bucket] - 1;
        entries[index].Value = item;
        buckets[bucket] = index + 1;
        version++;
        return true;
    }

    public bool Contains(T item)
    {
        if (count == 0)
            return false; // nothing added yet (the buckets may be empty), or all cleared
        uint hashCode = (uint)EqualityComparer<T>.Default.GetHashCode(item);
        int i = buckets[Bucket(hashCode)] - 1;
        while ((uint)i < (uint)entries.Length)
        {
            if (entries[i].HashCode == hashCode && EqualityComparer<T>.Default.Equals(entries[i].Value, item))
                return true;
            i = entries[i].Next;
        }
        return false;
    }

    public bool Remove(T item)
    {
        if (count == 0)
            return false;
        uint hashCode = (uint)EqualityComparer<T>.Default.GetHashCode(item);
        uint bucket = Bucket(hashCode);
        int last = -1;
        int i = buckets[bucket] - 1;
        while (i >= 0)
        {
            if (entries[i].HashCode == hashCode && EqualityComparer<T>.Default.Equals(entries[i].Value, item))
            {
                if (last < 0)
                    buckets[bucket] = entries[i].Next + 1;
                else
                    entries[last].Next = entries[i].Next;
                entries[i].Next = StartOfFreeList - freeList;
                T none = default!; // stored whole: a field of an instance type has no address in compiled code
                entries[i].Value = none; // releases what the entry held
                freeList = i;
                freeCount++;
                return true;
            }
            last = i;
            i = entries[i].Next;
        }
        return false;
    }

    public void Clear()
    {
        if (count > 0)
        {
            for (int b = 0; b < buckets.Length; b++)
                buckets[b] = 0;
            Entry empty = default;
            for (int i = 0; i < count; i++)
                entries[i] = empty; // releases what the entries held
            count = 0;
            freeList = -1;
            freeCount = 0;
        }
    }

    /// <summary>Room for <paramref name="capacity"/> elements (.NET's set does not count it as a change).</summary>
    public int EnsureCapacity(int capacity)
    {
        if (capacity < 0)
            throw new ArgumentOutOfRangeException(nameof(capacity));
        if (entries.Length >= capacity)
            return entries.Length;
        if (buckets.Length == 0)
            return Initialize(capacity);
        int size = HashPrimes.GetPrime(capacity);
        Resize(size);
        return size;
    }

    /// <summary>The live entries moved to the front of tables sized for their count, in order (a smaller prime only).</summary>
    public void TrimExcess()
    {
        int size = HashPrimes.GetPrime(Count);
        if (size >= entries.Length)
            return;
        Entry[] old = entries;
        int oldCount = count;
        version++;
        Initialize(size);
        int kept = 0;
        for (int i = 0; i < oldCount; i++)
        {
            if (old[i].Next >= -1)
            {
                uint bucket = Bucket(old[i].HashCode);
                entries[kept] = old[i];
                entries[kept].Next = buckets[bucket] - 1;
                buckets[bucket] = kept + 1;
                kept++;
            }
        }
        count = kept;
        freeCount = 0;
    }

    public void UnionWith(T[] other)
    {
        if (other is null)
            throw new ArgumentNullException(nameof(other));
        foreach (T item in other)
            Add(item);
    }

    public void ExceptWith(T[] other)
    {
        if (other is null)
            throw new ArgumentNullException(nameof(other));
        if (Count == 0)
            return;
        foreach (T item in other)
            Remove(item);
    }

    public Enumerator GetEnumerator() => new(this);

    /// <summary>The elements in enumeration order: what .NET gets when a set crosses to it (no member of <see cref="HashSet{T}"/> has this name, so C# cannot call it).</summary>
    public T[] Host_ToArray()
    {
        var copy = new T[Count];
        int at = 0;
        for (int i = 0; i < count; i++)
        {
            if (entries[i].Next >= -1)
                copy[at++] = entries[i].Value;
        }
        return copy;
    }

    /// <summary><c>hashCode % buckets.Length</c> by .NET's 64-bit fast modulo.</summary>
    uint Bucket(uint hashCode) => HashPrimes.Bucket(hashCode, fastModMultiplier, buckets.Length);

    int Initialize(int capacity)
    {
        int size = HashPrimes.GetPrime(capacity);
        buckets = new int[size];
        fastModMultiplier = HashPrimes.FastModMultiplier(size);
        entries = new Entry[size];
        freeList = -1;
        return size;
    }

    /// <summary>Entries copied in order to <paramref name="size"/> slots, the buckets rebuilt (an entry keeps its index, so the order holds).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // the cold path: the callers stay small enough for LLVM to inline
    void Resize(int size)
    {
        var grown = new Entry[size];
        Array.Copy(entries, grown, count);
        buckets = new int[size];
        fastModMultiplier = HashPrimes.FastModMultiplier(size);
        for (int i = 0; i < count; i++)
        {
            if (grown[i].Next >= -1)
            {
                uint bucket = Bucket(grown[i].HashCode);
                grown[i].Next = buckets[bucket] - 1;
                buckets[bucket] = i + 1;
            }
        }
        entries = grown;
    }

    /// <summary><see cref="HashSet{T}.Enumerator"/>: the live entries in index order, .NET's version check first.</summary>
    public struct Enumerator : IDisposable
    {
        readonly HashSetOf<T> set;
        readonly int version;
        int index;
        T current;

        internal Enumerator(HashSetOf<T> set)
        {
            this.set = set;
            version = set.version;
            index = 0;
            T empty = default!;
            current = empty;
        }

        public bool MoveNext()
        {
            if (version != set.version)
                throw new InvalidOperationException("Collection was modified; enumeration operation may not execute.");
            while ((uint)index < (uint)set.count)
            {
                int i = index++;
                if (set.entries[i].Next >= -1)
                {
                    current = set.entries[i].Value;
                    return true;
                }
            }
            index = set.count + 1;
            T empty = default!;
            current = empty;
            return false;
        }

        public readonly T Current => current;

        public readonly void Dispose()
        {
        }
    }
}
