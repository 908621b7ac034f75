using System.Runtime.CompilerServices;

namespace Targets.Frontend.Il.Collections;

/// <summary>
/// What a <see cref="List{T}"/> is in compiled code: a jit class the compiler compiles from this C# (NRT-counted, its
/// elements in an array it owns, so instances and arrays held are released when removed, overwritten, cleared or
/// destroyed with the list). Every member here has the name and parameters of <see cref="List{T}"/>'s member it stands
/// for (<see cref="CollectionTypes"/> redirects calls by them) and .NET's semantics: the same growth (4, then doubling),
/// results, exceptions and messages, and the version that makes an enumerator raise when the list changed under it.
/// </summary>
#pragma warning disable CA1000, CA1002, CA1510, CA1010, CA1024, CA1065, CA1710, CA1815, CA1819, CA1822, CA2201, CA2208 // List<T>'s own shape, names and exceptions
internal sealed class ListOf<T>
{
    const int MaxLength = 0x7FFFFFC7; // Array.MaxLength
    const string IndexOutside = "Index was out of range. Must be non-negative and less than the size of the collection.";
    const string NotNegative = "Non-negative number required.";

    T[] items;
    int size;
    int version;

    public ListOf() => items = Array.Empty<T>(); // compiled code makes a new empty array (its count is its own)

    public ListOf(int capacity)
    {
        if (capacity < 0)
            throw new ArgumentOutOfRangeException(nameof(capacity), NotNegative);
        items = new T[capacity];
    }

    /// <summary><c>new List&lt;T&gt;(array)</c>: a copy of the elements, the capacity their count.</summary>
    public ListOf(T[] collection)
    {
        if (collection is null)
            throw new ArgumentNullException(nameof(collection));
        items = new T[collection.Length];
        for (int i = 0; i < collection.Length; i++)
            items[i] = collection[i];
        size = collection.Length;
    }

    /// <summary><c>array.ToList()</c> (what C# makes of <c>List&lt;T&gt; l = [.. array]</c>).</summary>
    public static ListOf<T> FromArray(T[] source)
    {
        if (source is null)
            throw new ArgumentNullException(nameof(source));
        return new ListOf<T>(source);
    }

    public int Count => size;

    public int Capacity => items.Length;

    public T this[int index]
    {
        get
        {
            if ((uint)index >= (uint)size)
                throw new ArgumentOutOfRangeException(nameof(index), IndexOutside);
            return items[index];
        }
        set
        {
            if ((uint)index >= (uint)size)
                throw new ArgumentOutOfRangeException(nameof(index), IndexOutside);
            items[index] = value;
            version++;
        }
    }

    public void Add(T item)
    {
        version++;
        // .NET's shape: the count read once and stored before the element, so the element's store (which may alias
        // the fields, as far as LLVM knows) forces no reload of either.
        int count = size;
        if ((uint)count < (uint)items.Length)
        {
            size = count + 1;
            items[count] = item;
        }
        else
        {
            AddWithResize(item);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)] // the cold path: the callers stay small enough for LLVM to inline
    void AddWithResize(T item)
    {
        int count = size;
        Grow(count + 1);
        size = count + 1;
        items[count] = item;
    }

    /// <summary>.NET's growth: 4 elements first, then twice as many, at least <paramref name="capacity"/>.</summary>
    void Grow(int capacity)
    {
        int grown = items.Length == 0 ? 4 : 2 * items.Length;
        if ((uint)grown > MaxLength)
            grown = MaxLength;
        if (grown < capacity)
            grown = capacity;
        var bigger = new T[grown];
        Array.Copy(items, bigger, size); // a memcpy of numbers; counted elements counted once more, released with the old array
        items = bigger;
    }

    public int EnsureCapacity(int capacity)
    {
        if (capacity < 0)
            throw new ArgumentOutOfRangeException(nameof(capacity), NotNegative);
        if (items.Length < capacity)
            Grow(capacity);
        return items.Length;
    }

    public void Clear()
    {
        version++;
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            T empty = default!; // stored whole: an element of an array of instances has no address in compiled code
            for (int i = 0; i < size; i++)
                items[i] = empty; // releases what the list held
        }
        size = 0;
    }

    public bool Contains(T item) => IndexOf(item) >= 0;

    public int IndexOf(T item)
    {
        for (int i = 0; i < size; i++)
        {
            if (EqualityComparer<T>.Default.Equals(items[i], item))
                return i;
        }
        return -1;
    }

    public void Insert(int index, T item)
    {
        if ((uint)index > (uint)size)
            throw new ArgumentOutOfRangeException(nameof(index), "Index must be within the bounds of the List.");
        if (size == items.Length)
            Grow(size + 1);
        for (int i = size; i > index; i--)
            items[i] = items[i - 1];
        items[index] = item;
        size++;
        version++;
    }

    public void RemoveAt(int index)
    {
        if ((uint)index >= (uint)size)
            throw new ArgumentOutOfRangeException(nameof(index), IndexOutside);
        size--;
        for (int i = index; i < size; i++)
            items[i] = items[i + 1];
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            T empty = default!;
            items[size] = empty;
        }
        version++;
    }

    public bool Remove(T item)
    {
        int index = IndexOf(item);
        if (index < 0)
            return false;
        RemoveAt(index);
        return true;
    }

    public void Reverse()
    {
        for (int i = 0, j = size - 1; i < j; i++, j--)
            (items[i], items[j]) = (items[j], items[i]);
        version++;
    }

    public void Sort()
    {
        items.AsSpan(0, size).Sort();
        version++;
    }

    public T[] ToArray()
    {
        var copy = new T[size];
        for (int i = 0; i < size; i++)
            copy[i] = items[i];
        return copy;
    }

    /// <summary><c>CollectionsMarshal.SetCount(list, count)</c> (what C# makes of <c>List&lt;T&gt; l = [a, b, c]</c>).</summary>
    public void CollectionsMarshal_SetCount(int count)
    {
        if (count < 0)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"count ('{count}') must be a non-negative value.");
        version++;
        if (count > items.Length)
        {
            Grow(count);
        }
        else
        {
            T empty = default!;
            for (int i = count; i < size; i++)
                items[i] = empty;
        }
        size = count;
    }

    /// <summary><c>CollectionsMarshal.AsSpan(list)</c>: the elements in place.</summary>
    public SpanView<T> CollectionsMarshal_AsSpan() => new() { Array = items, Start = 0, Length = size };

    public Enumerator GetEnumerator() => new(this);

    /// <summary><see cref="List{T}.Enumerator"/>: .NET's checks of the list's version, in .NET's order.</summary>
    public struct Enumerator : IDisposable
    {
        readonly ListOf<T> list;
        int index;
        readonly int version;
        T current;

        internal Enumerator(ListOf<T> list)
        {
            this.list = list;
            index = 0;
            version = list.version;
            T empty = default!;
            current = empty;
        }

        public bool MoveNext()
        {
            // The list read from the field each time: a local copy would count a reference per element.
            if (version == list.version && (uint)index < (uint)list.size)
            {
                current = list.items[index];
                index++;
                return true;
            }
            if (version != list.version)
                throw new InvalidOperationException("Collection was modified; enumeration operation may not execute.");
            index = list.size + 1;
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
