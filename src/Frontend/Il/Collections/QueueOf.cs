using System.Runtime.CompilerServices;

namespace Targets.Frontend.Il.Collections;

/// <summary>
/// What a <see cref="Queue{T}"/> is in compiled code: a jit class compiled from this C#, .NET's ring buffer (head, tail,
/// size; growth to twice the length and at least four more), so it enumerates head to tail, answers
/// <c>EnsureCapacity</c> and throws as .NET does. Elements that are instances or arrays are released when dequeued,
/// cleared or destroyed with the queue. Members keep the names and parameters of <see cref="Queue{T}"/>'s members
/// (<see cref="CollectionTypes"/> redirects calls by them).
/// </summary>
#pragma warning disable CA1000, CA1010, CA1065, CA1510, CA1512, CA1710, CA1711, CA1815, CA1819, CA2201, CA2208 // Queue's own shape, names and exceptions
internal sealed class QueueOf<T>
{
    const int MaxLength = 0x7FFFFFC7; // Array.MaxLength
    const string Empty = "Queue empty.";

    T[] array;
    int head;
    int tail;
    int size;
    int version;

    public QueueOf() => array = Array.Empty<T>(); // compiled code makes a new empty array (its count is its own)

    public QueueOf(int capacity)
    {
        if (capacity < 0)
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, $"capacity ('{capacity}') must be a non-negative value.");
        array = new T[capacity];
    }

    /// <summary><c>new Queue&lt;T&gt;(array)</c>: a copy of the elements, the capacity their count.</summary>
    public QueueOf(T[] collection)
    {
        if (collection is null)
            throw new ArgumentNullException(nameof(collection));
        array = new T[collection.Length];
        for (int i = 0; i < collection.Length; i++)
            array[i] = collection[i];
        size = collection.Length;
        tail = size == array.Length ? 0 : size;
    }

    public int Count => size;

    public void Enqueue(T item)
    {
        if (size == array.Length)
            Grow(size + 1);
        array[tail] = item;
        tail = Next(tail);
        size++;
        version++;
    }

    public T Dequeue()
    {
        if (size == 0)
            throw new InvalidOperationException(Empty);
        T removed = array[head];
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            T empty = default!;
            array[head] = empty; // releases what the queue held
        }
        head = Next(head);
        size--;
        version++;
        return removed;
    }

    public bool TryDequeue(out T result)
    {
        (bool taken, result) = TryDequeue_Out();
        return taken;
    }

    /// <summary><see cref="TryDequeue"/> for an element compiled code cannot pass by reference (an instance or an array): the importer calls this.</summary>
    public (bool, T) TryDequeue_Out() => size == 0 ? (false, default!) : (true, Dequeue());

    public T Peek()
    {
        if (size == 0)
            throw new InvalidOperationException(Empty);
        return array[head];
    }

    public bool TryPeek(out T result)
    {
        (bool found, result) = TryPeek_Out();
        return found;
    }

    /// <summary><see cref="TryPeek"/> for an element compiled code cannot pass by reference: the importer calls this.</summary>
    public (bool, T) TryPeek_Out() => size == 0 ? (false, default!) : (true, array[head]);

    public void Clear()
    {
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            T empty = default!;
            for (int n = 0, i = head; n < size; n++, i = Next(i))
                array[i] = empty;
        }
        size = 0;
        head = 0;
        tail = 0;
        version++;
    }

    public bool Contains(T item)
    {
        for (int n = 0, i = head; n < size; n++, i = Next(i))
        {
            if (EqualityComparer<T>.Default.Equals(array[i], item))
                return true;
        }
        return false;
    }

    public T[] ToArray()
    {
        var copy = new T[size];
        for (int n = 0, i = head; n < size; n++, i = Next(i))
            copy[n] = array[i];
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

    int Next(int index) => index + 1 == array.Length ? 0 : index + 1;

    /// <summary>.NET's growth: twice the length, at least four more, at least <paramref name="capacity"/>; the elements moved to the front.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // the cold path: the callers stay small enough for LLVM to inline
    void Grow(int capacity)
    {
        int grown = (int)Math.Min(2L * array.Length, MaxLength);
        grown = Math.Max(grown, array.Length + 4);
        if (grown < capacity)
            grown = capacity;
        var bigger = new T[grown];
        for (int n = 0, i = head; n < size; n++, i = Next(i))
            bigger[n] = array[i];
        array = bigger;
        head = 0;
        tail = size == grown ? 0 : size;
        version++;
    }

    /// <summary><see cref="Queue{T}.Enumerator"/>: head to tail, .NET's version check first.</summary>
    public struct Enumerator : IDisposable
    {
        readonly QueueOf<T> queue;
        readonly int version;
        int index;
        T current;

        internal Enumerator(QueueOf<T> queue)
        {
            this.queue = queue;
            version = queue.version;
            index = -1;
            T empty = default!;
            current = empty;
        }

        public bool MoveNext()
        {
            if (version != queue.version)
                throw new InvalidOperationException("Collection was modified; enumeration operation may not execute.");
            if (index == -2)
                return false;
            index++;
            if (index == queue.size)
            {
                index = -2;
                T empty = default!;
                current = empty;
                return false;
            }
            int at = queue.head + index;
            current = queue.array[at >= queue.array.Length ? at - queue.array.Length : at];
            return true;
        }

        public readonly T Current => current;

        public readonly void Dispose()
        {
        }
    }
}
