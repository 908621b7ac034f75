using System;
using Targets;
using Targets.Testing;

namespace Corpus;

// Structs that hold references: arrays (1-D and 2-D) and jit-class instances (the shared ListNode)
// in struct fields, in structs nested in them, in tuples and nullables; copied (a copy shares the arrays), overwritten,
// reset to default, passed, returned, stored in arrays and dropped on every path, raising ones
// included. The suite's leak check after each case proves that a copy owns what it holds and a
// drop releases it.
public struct Buffer
{
    public int[] Items;
    public int Count;

    public Buffer(int capacity)
    {
        Items = new int[capacity];
        Count = 0;
    }

    public void Add(int x)
    {
        if (Count == Items.Length)
        {
            var grown = new int[Items.Length * 2 + 1];
            for (int i = 0; i < Count; i++)
                grown[i] = Items[i];
            Items = grown; // the old array is released
        }
        Items[Count++] = x;
    }

    public readonly int Sum()
    {
        int sum = 0;
        for (int i = 0; i < Count; i++)
            sum += Items[i];
        return sum;
    }
}

public struct Labelled
{
    public Buffer Data;
    public long Tag;
    public double[] Weights;
}

public struct Grid
{
    public double[,] Cells;
    public int Rows;

    public Grid(int rows, int columns)
    {
        Cells = new double[rows, columns];
        Rows = rows;
    }
}

public struct Chain
{
    public ListNode? Head;
    public int Length;

    public void Push(int value)
    {
        Head = new ListNode(value, Head);
        Length++;
    }

    public readonly int Total()
    {
        int total = 0;
        for (ListNode? p = Head; p != null; p = p.Next)
            total += p.Value;
        return total;
    }
}

public static class StructsWithReferences
{
    public static int GrowingBuffer(int n)
    {
        var buffer = new Buffer(1);
        for (int i = 0; i < (n & 127); i++)
            buffer.Add(i * 3 - n);
        return buffer.Sum() + buffer.Items.Length;
    }

    public static int CopiesShareArrays(int a, int b)
    {
        var first = new Buffer(4);
        first.Add(a);
        Buffer second = first; // the same array, counts of their own
        second.Add(b);
        first.Items[0] = 7;
        return first.Sum() * 3 + second.Sum() + first.Count * 100 + second.Count * 1000;
    }

    [Helper]
    public static Buffer Filled(int count, int start)
    {
        var buffer = new Buffer(count + 1);
        for (int i = 0; i < count; i++)
            buffer.Add(start + i);
        return buffer;
    }

    public static int ReturnedAndDropped(int n)
    {
        int total = 0;
        for (int k = 0; k < (n & 31); k++)
            total += Filled(k, n).Sum(); // each result dies in its iteration
        Buffer kept = Filled(3, n);
        kept = Filled(2, -n); // the first is released
        return total + kept.Sum();
    }

    [Helper]
    public static int Consume(Buffer buffer, in Buffer other) => buffer.Sum() - other.Sum();

    [Helper]
    public static void Refill(ref Buffer buffer, int value)
    {
        buffer = new Buffer(2); // through a ref: what it held is released
        buffer.Add(value);
    }

    public static int PassedByValueInAndRef(int a, int b)
    {
        Buffer x = Filled(3, a), y = Filled(2, b);
        int before = Consume(x, in y);
        Refill(ref x, b);
        return before * 7 + x.Sum() + Consume(y, in x);
    }

    public static int ArrayOfBuffers(int n, int seed)
    {
        n &= 31;
        var buffers = new Buffer[n + 1];
        for (int i = 0; i <= n; i++)
        {
            buffers[i] = new Buffer(1);
            buffers[i].Add(seed + i); // a mutating call on an element
        }
        buffers[0] = buffers[n]; // an element replaced: its array is released, the other shared
        (buffers[n], buffers[n / 2]) = (buffers[n / 2], buffers[n]);
        buffers[n].Add(1);
        int total = 0;
        foreach (Buffer b in buffers)
            total += b.Sum() * 3 + b.Count;
        return total;
    }

    public static double Nested(int n, double weight)
    {
        n &= 15;
        var labelled = new Labelled { Data = new Buffer(2), Tag = n, Weights = new double[n + 1] };
        for (int i = 0; i < n; i++)
        {
            labelled.Data.Add(i);
            labelled.Weights[i] = weight * i;
        }
        Labelled copy = labelled;
        copy.Weights = new double[] { weight, 2 * weight }; // the copy's own; labelled keeps the old
        copy.Data = default; // releases the copy's reference only
        var many = new Labelled[3];
        many[1] = labelled;
        many[2] = copy;
        return labelled.Data.Sum() + labelled.Weights[n / 2] + copy.Weights[1] + many[1].Data.Count + many[2].Tag
            + (copy.Data.Items == null ? 1 : 0);
    }

    public static int RaisesWithStructsLive(int n, int at)
    {
        var buffer = Filled(n & 15, 1);
        var buffers = new Buffer[] { buffer, Filled(2, n) };
        return buffer.Items[at] + buffers[1].Sum(); // an index out of range leaves through the unwind path
    }

    public static int ThrowsFromCallee(int n)
    {
        Buffer held = Filled(4, n);
        return held.Sum() + Filled(-1 - (n & 1), 0).Count; // new int[negative] raises in the callee
    }

    public static double TwoDimensional(int rows, double value)
    {
        rows = (rows & 7) + 1;
        var grid = new Grid(rows, 3);
        for (int r = 0; r < grid.Rows; r++)
            grid.Cells[r, r % 3] = value + r;
        Grid other = grid;
        other.Cells = new double[1, 1];
        return grid.Cells[rows - 1, (rows - 1) % 3] + other.Cells.Length + grid.Cells.Length;
    }

    public static int ChainsOfInstances(int n)
    {
        var chain = new Chain();
        for (int i = 0; i < (n & 63); i++)
            chain.Push(i);
        var chains = new Chain[2];
        chains[0] = chain;
        chains[1].Push(n);
        chain.Push(1000); // chain's own head; chains[0] keeps the old one
        chain = default; // releases the new head, and through it nothing chains[0] holds
        return chains[0].Total() + chains[0].Length * 7 + chains[1].Total() + (chain.Head == null ? 1 : 0);
    }

    public static int TuplesOfArrays(int n, int pick)
    {
        (int[] Numbers, int Count) pair = (new int[(n & 15) + 1], n & 15);
        for (int i = 0; i < pair.Count; i++)
            pair.Numbers[i] = i * i;
        var (numbers, count) = pair;
        (int[], int[]) swapped = (new int[] { pick }, numbers);
        swapped = (swapped.Item2, swapped.Item1);
        return numbers[count / 2] + swapped.Item1.Length + swapped.Item2[0];
    }

    public static int NullableStructs(int n)
    {
        Buffer? maybe = null;
        if ((n & 1) == 0)
            maybe = Filled(3, n);
        int total = maybe.HasValue ? maybe.Value.Sum() : -1;
        maybe = null; // releases the buffer
        return total + (maybe?.Count ?? 5);
    }

    public static int ArraysFromTheCaller(int[] data, int times)
    {
        var wrapped = new Buffer { Items = data, Count = data.Length };
        var copies = new Buffer[(times & 7) + 1];
        for (int i = 0; i < copies.Length; i++)
            copies[i] = wrapped; // the caller's array, held by compiled elements until they die
        if (data.Length > 0)
            copies[copies.Length - 1].Items[0] += times;
        return copies[0].Sum() + copies.Length;
    }
}
