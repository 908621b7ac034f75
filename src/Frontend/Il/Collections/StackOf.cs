using System.Runtime.CompilerServices;

namespace Targets.Frontend.Il.Collections;

/// <summary>
/// What a <see cref="Stack{T}"/> is in compiled code: a jit class compiled from this C#, its elements bottom first in an
/// array it owns with .NET's growth (4, then doubling), so it enumerates top to bottom, answers <c>EnsureCapacity</c> and
/// throws as .NET does. Elements that are instances or arrays are released when popped, cleared or destroyed with the
/// stack. Members keep the names and parameters of <see cref="Stack{T}"/>'s members (<see cref="CollectionTypes"/>
/// redirects calls by them).
/// </summary>
#pragma warning disable CA1000, CA1010, CA1065, CA1510, CA1512, CA1710, CA1711, CA1815, CA1819, CA2201, CA2208 // Stack's own shape, names and exceptions
internal sealed class StackOf<T>
{
    const int MaxLength = 0x7FFFFFC7; // Array.MaxLength
    const string Empty = "Stack empty.";

    T[] array;
    int size;
    int version;

    public StackOf() => array = Array.Empty<T>(); // compiled code makes a new empty array (its count is its own)

    public StackOf(int capacity)
    {
        if (capacity < 0)
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, $"capacity ('{capacity}') must be a non-negative value.");
        array = new T[capacity];
    }

    /// <summary><c>new Stack&lt;T&gt;(array)</c>: the elements pushed in order (the last on top), the capacity their count.</summary>
    public StackOf(T[] collection)
    {
        if (collection is null)
            throw new ArgumentNullException(nameof(collection));
        array = new T[collection.Length];
        for (int i = 0; i < collection.Length; i++)
            array[i] = collection[i];
        size = collection.Length;
    }

    public int Count => size;

    public void Push(T item)
    {
        int count = size;
        if (count == array.Length)
            Grow(count + 1);
        array[count] = item;
        version++;
        size = count + 1;
    }

    public T Pop()
    {
        int top = size - 1;
        if (top < 0)
            throw new InvalidOperationException(Empty);
        version++;
        size = top;
        T item = array[top];
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            T empty = default!;
            array[top] = empty; // releases what the stack held
        }
        return item;
    }

    public bool TryPop(out T result)
    {
        (bool taken, result) = TryPop_Out();
        return taken;
    }

    /// <summary><see cref="TryPop"/> for an element compiled code cannot pass by reference (an instance or an array): the importer calls this.</summary>
    public (bool, T) TryPop_Out() => size == 0 ? (false, default!) : (true, Pop());

    public T Peek()
    {
        if (size == 0)
            throw new InvalidOperationException(Empty);
        return array[size - 1];
    }

    public bool TryPeek(out T result)
    {
        (bool found, result) = TryPeek_Out();
        return found;
    }

    /// <summary><see cref="TryPeek"/> for an element compiled code cannot pass by reference: the importer calls this.</summary>
    public (bool, T) TryPeek_Out() => size == 0 ? (false, default!) : (true, array[size - 1]);

    public void Clear()
    {
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            T empty = default!;
            for (int i = 0; i < size; i++)
                array[i] = empty;
        }
        size = 0;
        version++;
    }

    public bool Contains(T item)
    {
        for (int i = size - 1; i >= 0; i--)
        {
            if (EqualityComparer<T>.Default.Equals(array[i], item))
                return true;
        }
        return false;
    }

    /// <summary>The elements top first, as .NET's.</summary>
    public T[] ToArray()
    {
        var copy = new T[size];
        for (int i = 0; i < size; i++)
            copy[i] = array[size - 1 - i];
        return copy;
    }

    public int EnsureCapacity(int capacity)
    {
        if (capacity < 0)
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, $"capacity ('{capacity}') must be a non-negative value.");
        if (array.Length < capacity)
            Grow(capacity);
        return array.Length;
    }

    public Enumerator GetEnumerator() => new(this);

    [MethodImpl(MethodImplOptions.NoInlining)] // the cold path: the callers stay small enough for LLVM to inline
    void Grow(int capacity)
    {
        int grown = array.Length == 0 ? 4 : 2 * array.Length;
        if ((uint)grown > MaxLength)
            grown = MaxLength;
        if (grown < capacity)
            grown = capacity;
        var bigger = new T[grown];
        Array.Copy(array, bigger, size);
        array = bigger;
    }

    /// <summary><see cref="Stack{T}.Enumerator"/>: top to bottom, .NET's version check first.</summary>
    public struct Enumerator : IDisposable
    {
        readonly StackOf<T> stack;
        readonly int version;
        int index;
        T current;

        internal Enumerator(StackOf<T> stack)
        {
            this.stack = stack;
            version = stack.version;
            index = -2;
            T empty = default!;
            current = empty;
        }

        public bool MoveNext()
        {
            if (version != stack.version)
                throw new InvalidOperationException("Collection was modified after the enumerator was instantiated."); // System.Collections' text, not CoreLib's
            if (index == -2)
            {
                index = stack.size - 1;
                if (index < 0)
                    return false;
                current = stack.array[index];
                return true;
            }
            if (index == -1)
                return false;
            index--;
            T empty = default!;
            current = index >= 0 ? stack.array[index] : empty;
            return index >= 0;
        }

        public readonly T Current => current;

        public readonly void Dispose()
        {
        }
    }
}
