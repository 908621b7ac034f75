using System.Runtime.CompilerServices;

namespace Targets.Frontend.Il.Collections;

/// <summary>
/// What a <see cref="Dictionary{TKey, TValue}"/> is in compiled code: a jit class compiled from this C#, laid out and run
/// as .NET's own (buckets of 1-based entry indices, entries chained by <c>next</c>, removed entries on a free list
/// encoded below <see cref="StartOfFreeList"/>, prime sizes), so it enumerates in .NET's order on every path: insertion
/// order until a removal, then the freed entries reused last-freed first. Keys hash and compare as
/// <see cref="EqualityComparer{T}.Default"/> does. Keys and values that are instances or arrays are owned by their entry and
/// released when removed, overwritten, cleared or destroyed with the dictionary. Members keep the names and parameters of
/// the members they stand for (<see cref="CollectionTypes"/> redirects calls by them), .NET's exceptions and messages,
/// and .NET's version rules: adding a key changes the version, overwriting a value, removing and clearing do not.
/// </summary>
#pragma warning disable CA1000, CA1010, CA1512, CA1065, CA1710, CA1711, CA1815, CA1822, CA1851, CA2201, CA2208 // Dictionary's own shape, names and exceptions
internal sealed class DictionaryOf<TKey, TValue>
    where TKey : notnull
{
    const int StartOfFreeList = -3;
    const string Modified = "Collection was modified; enumeration operation may not execute.";

    int[] buckets;
    Entry[] entries;
    ulong fastModMultiplier;
    int count;
    int freeList;
    int freeCount;
    int version;

    /// <summary>An entry: the key's hash, the next entry of its bucket (or, removed, the free list's next below <see cref="StartOfFreeList"/>), the pair.</summary>
    internal struct Entry
    {
        public uint HashCode;
        public int Next;
        public TKey Key;
        public TValue Value;
    }

    public DictionaryOf()
    {
        // Empty arrays rather than .NET's nulls (compiled code makes new ones, their counts their own): no null checks on
        // the lookup path; the first insertion sizes them.
        buckets = Array.Empty<int>();
        entries = Array.Empty<Entry>();
    }

    public DictionaryOf(int capacity)
    {
        if (capacity < 0)
            throw new ArgumentOutOfRangeException(nameof(capacity));
        buckets = Array.Empty<int>();
        entries = Array.Empty<Entry>();
        if (capacity > 0)
            Initialize(capacity);
    }

    public int Count => count - freeCount;

    public TValue this[TKey key]
    {
        get
        {
            int i = FindEntry(key);
            if (i < 0)
                throw new KeyNotFoundException($"The given key '{key}' was not present in the dictionary.");
            return entries[i].Value;
        }
        set => TryInsert(key, value, overwrite: true, throwOnExisting: false);
    }

    public KeyCollection Keys => new(this);

    public ValueCollection Values => new(this);

    public void Add(TKey key, TValue value) => TryInsert(key, value, overwrite: false, throwOnExisting: true);

    public bool TryAdd(TKey key, TValue value) => TryInsert(key, value, overwrite: false, throwOnExisting: false);

    public bool ContainsKey(TKey key) => FindEntry(key) >= 0;

    public bool ContainsValue(TValue value)
    {
        for (int i = 0; i < count; i++)
        {
            if (entries[i].Next >= -1 && EqualityComparer<TValue>.Default.Equals(entries[i].Value, value))
                return true;
        }
        return false;
    }

    public bool TryGetValue(TKey key, out TValue value)
    {
        (bool found, value) = TryGetValue_Out(key);
        return found;
    }

    /// <summary><see cref="TryGetValue"/> for a value compiled code cannot pass by reference (an instance or an array): the importer calls this.</summary>
    public (bool, TValue) TryGetValue_Out(TKey key)
    {
        int i = FindEntry(key);
        return i >= 0 ? (true, entries[i].Value) : (false, default!);
    }

    /// <summary><c>dictionary.GetValueOrDefault(key)</c> (an extension of <see cref="IReadOnlyDictionary{TKey, TValue}"/>).</summary>
    public TValue CollectionExtensions_GetValueOrDefault(TKey key)
    {
        int i = FindEntry(key);
        return i >= 0 ? entries[i].Value : default!;
    }

    /// <summary><c>dictionary.GetValueOrDefault(key, defaultValue)</c>.</summary>
    public TValue CollectionExtensions_GetValueOrDefault(TKey key, TValue defaultValue)
    {
        int i = FindEntry(key);
        return i >= 0 ? entries[i].Value : defaultValue;
    }

    public bool Remove(TKey key) => Remove_Out(key).Item1;

    public bool Remove(TKey key, out TValue value)
    {
        (bool removed, value) = Remove_Out(key);
        return removed;
    }

    /// <summary><c>Remove(key, out value)</c> for a value compiled code cannot pass by reference: the importer calls this.</summary>
    public (bool, TValue) Remove_Out(TKey key)
    {
        if (count > 0)
        {
            uint hashCode = (uint)EqualityComparer<TKey>.Default.GetHashCode(key);
            uint bucket = Bucket(hashCode);
            int last = -1;
            int i = buckets[bucket] - 1;
            while (i >= 0)
            {
                if (entries[i].HashCode == hashCode && EqualityComparer<TKey>.Default.Equals(entries[i].Key, key))
                {
                    if (last < 0)
                        buckets[bucket] = entries[i].Next + 1;
                    else
                        entries[last].Next = entries[i].Next;
                    TValue value = entries[i].Value;
                    entries[i].Next = StartOfFreeList - freeList;
                    TKey noKey = default!; // stored whole: a field of an instance type has no address in compiled code
                    TValue noValue = default!;
                    entries[i].Key = noKey; // releases what the entry held
                    entries[i].Value = noValue;
                    freeList = i;
                    freeCount++;
                    return (true, value);
                }
                last = i;
                i = entries[i].Next;
            }
        }
        return (false, default!);
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

    /// <summary>Room for <paramref name="capacity"/> entries (.NET's dictionary counts that as a change, its set does not).</summary>
    public int EnsureCapacity(int capacity)
    {
        if (capacity < 0)
            throw new ArgumentOutOfRangeException(nameof(capacity));
        if (entries.Length >= capacity)
            return entries.Length;
        version++;
        if (buckets.Length == 0)
            return Initialize(capacity);
        int size = HashPrimes.GetPrime(capacity);
        Resize(size);
        return size;
    }

    /// <summary>The live entries moved to the front of tables sized for their count, in order (a smaller prime only).</summary>
    /// <summary>
    /// The pairs of a .NET dictionary crossing to compiled code, added in its enumeration order; with <see cref="Host_Keys"/>
    /// and <see cref="Host_Values"/>, the way a dictionary crosses (no member of <see cref="Dictionary{TKey, TValue}"/> has these
    /// names, so C# cannot call them).
    /// </summary>
    public void Host_AddRange(TKey[] keys, TValue[] values)
    {
        if (keys.Length > 0)
            EnsureCapacity(keys.Length);
        for (int i = 0; i < keys.Length; i++)
            Add(keys[i], values[i]);
    }

    /// <summary>The keys in enumeration order.</summary>
    public TKey[] Host_Keys()
    {
        var copy = new TKey[Count];
        int at = 0;
        for (int i = 0; i < count; i++)
        {
            if (entries[i].Next >= -1)
                copy[at++] = entries[i].Key;
        }
        return copy;
    }

    /// <summary>The values in enumeration order.</summary>
    public TValue[] Host_Values()
    {
        var copy = new TValue[Count];
        int at = 0;
        for (int i = 0; i < count; i++)
        {
            if (entries[i].Next >= -1)
                copy[at++] = entries[i].Value;
        }
        return copy;
    }

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

    public Enumerator GetEnumerator() => new(this);

    /// <summary><c>hashCode % buckets.Length</c> by .NET's 64-bit fast modulo.</summary>
    uint Bucket(uint hashCode) => HashPrimes.Bucket(hashCode, fastModMultiplier, buckets.Length);

    /// <summary>The entry holding <paramref name="key"/>, or -1.</summary>
    int FindEntry(TKey key)
    {
        if (count == 0)
            return -1; // nothing added yet (the buckets may be empty), or all cleared
        uint hashCode = (uint)EqualityComparer<TKey>.Default.GetHashCode(key);
        int i = buckets[Bucket(hashCode)] - 1;
        while ((uint)i < (uint)entries.Length)
        {
            if (entries[i].HashCode == hashCode && EqualityComparer<TKey>.Default.Equals(entries[i].Key, key))
                return i;
            i = entries[i].Next;
        }
        return -1;
    }

    int Initialize(int capacity)
    {
        int size = HashPrimes.GetPrime(capacity);
        buckets = new int[size];
        fastModMultiplier = HashPrimes.FastModMultiplier(size);
        entries = new Entry[size];
        freeList = -1;
        return size;
    }

    /// <summary>Adds the pair, or finds the key: overwrites its value, throws .NET's ArgumentException, or answers false.</summary>
    bool TryInsert(TKey key, TValue value, bool overwrite, bool throwOnExisting)
    {
        if (buckets.Length == 0)
            Initialize(0);
        uint hashCode = (uint)EqualityComparer<TKey>.Default.GetHashCode(key);
        uint bucket = Bucket(hashCode);
        int i = buckets[bucket] - 1;
        while ((uint)i < (uint)entries.Length)
        {
            if (entries[i].HashCode == hashCode && EqualityComparer<TKey>.Default.Equals(entries[i].Key, key))
            {
                if (overwrite)
                {
                    entries[i].Value = value;
                    return true;
                }
                if (throwOnExisting)
                    throw new ArgumentException($"An item with the same key has already been added. Key: {key}");
                return false;
            }
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
        entries[index].Key = key;
        entries[index].Value = value;
        buckets[bucket] = index + 1;
        version++;
        return true;
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

    /// <summary><see cref="Dictionary{TKey, TValue}.Enumerator"/>: the live entries in index order, .NET's version check first.</summary>
    public struct Enumerator : IDisposable
    {
        readonly DictionaryOf<TKey, TValue> dictionary;
        readonly int version;
        int index;
        KeyValuePair<TKey, TValue> current;

        internal Enumerator(DictionaryOf<TKey, TValue> dictionary)
        {
            this.dictionary = dictionary;
            version = dictionary.version;
            index = 0;
            current = default;
        }

        public bool MoveNext()
        {
            if (version != dictionary.version)
                throw new InvalidOperationException(Modified);
            while ((uint)index < (uint)dictionary.count)
            {
                int i = index++;
                if (dictionary.entries[i].Next >= -1)
                {
                    current = new KeyValuePair<TKey, TValue>(dictionary.entries[i].Key, dictionary.entries[i].Value);
                    return true;
                }
            }
            index = dictionary.count + 1;
            current = default;
            return false;
        }

        public readonly KeyValuePair<TKey, TValue> Current => current;

        public readonly void Dispose()
        {
        }
    }

    /// <summary><see cref="Dictionary{TKey, TValue}.KeyCollection"/>: the keys in the dictionary's order (made per <c>Keys</c>, not cached: a cached one would be a cycle).</summary>
    public sealed class KeyCollection
    {
        readonly DictionaryOf<TKey, TValue> dictionary;

        public KeyCollection(DictionaryOf<TKey, TValue> dictionary) => this.dictionary = dictionary;

        public int Count => dictionary.Count;

        public Enumerator GetEnumerator() => new(dictionary);

        /// <summary><see cref="Dictionary{TKey, TValue}.KeyCollection.Enumerator"/>.</summary>
        public struct Enumerator : IDisposable
        {
            DictionaryOf<TKey, TValue>.Enumerator pairs;

            internal Enumerator(DictionaryOf<TKey, TValue> dictionary) => pairs = new DictionaryOf<TKey, TValue>.Enumerator(dictionary);

            public bool MoveNext() => pairs.MoveNext();

            public readonly TKey Current => pairs.Current.Key;

            public readonly void Dispose()
            {
            }
        }
    }

    /// <summary><see cref="Dictionary{TKey, TValue}.ValueCollection"/>: the values in the dictionary's order.</summary>
    public sealed class ValueCollection
    {
        readonly DictionaryOf<TKey, TValue> dictionary;

        public ValueCollection(DictionaryOf<TKey, TValue> dictionary) => this.dictionary = dictionary;

        public int Count => dictionary.Count;

        public Enumerator GetEnumerator() => new(dictionary);

        /// <summary><see cref="Dictionary{TKey, TValue}.ValueCollection.Enumerator"/>.</summary>
        public struct Enumerator : IDisposable
        {
            DictionaryOf<TKey, TValue>.Enumerator pairs;

            internal Enumerator(DictionaryOf<TKey, TValue> dictionary) => pairs = new DictionaryOf<TKey, TValue>.Enumerator(dictionary);

            public bool MoveNext() => pairs.MoveNext();

            public readonly TValue Current => pairs.Current.Value;

            public readonly void Dispose()
            {
            }
        }
    }
}
