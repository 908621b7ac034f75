using System;
using System.Collections.Generic;

namespace Corpus;

// Dictionary<TKey, TValue> built, changed and read in compiled code: the indexer (get throws KeyNotFoundException with
// the key, set adds or overwrites), Add (a duplicate throws ArgumentException with the key), TryAdd, TryGetValue,
// GetValueOrDefault, ContainsKey, ContainsValue, Remove (with and without the value), Clear, EnsureCapacity (.NET's
// primes), Keys, Values and foreach in .NET's order (insertion order, freed entries reused last-freed first), a dictionary
// changed during foreach (adding throws, removing and overwriting do not); keys that are numbers (NaN finds NaN, -0.0
// finds 0.0), enums and record structs; values that are numbers, jit class instances and lists.
/// <summary>A key struct with .NET's equality contract and no ToString of its own (a missing one prints as its type's name).</summary>
public readonly struct Cell(int row, int column) : IEquatable<Cell>
{
    public int Row { get; } = row;
    public int Column { get; } = column;

    public bool Equals(Cell other) => Row == other.Row && Column == other.Column;

    public override bool Equals(object? obj) => obj is Cell other && Equals(other);

    public override int GetHashCode() => Row * 397 ^ Column;
}

public static class Dictionaries
{
    public static long WordCount(int[] a)
    {
        var counts = new Dictionary<int, int>();
        foreach (int v in a)
            counts[v % 13] = counts.GetValueOrDefault(v % 13) + 1;
        long t = counts.Count;
        foreach (KeyValuePair<int, int> pair in counts)
            t = t * 31 + pair.Key * 7 + pair.Value;
        return t;
    }

    public static long OrderAfterRemovals(int n)
    {
        var d = new Dictionary<long, double>();
        for (int i = 0; i < (n & 63) + 5; i++)
            d[i * 1_000_003L] = i * 0.5;
        d.Remove(3 * 1_000_003L);
        d.Remove(1 * 1_000_003L, out double removed);
        d.Add(-7, removed);
        d.Add(-8, 2.25);
        d.TryAdd(-9, 3);
        bool again = d.TryAdd(-9, 4);
        long t = d.Count + (again ? 1000 : 0);
        foreach (long k in d.Keys)
            t = t * 3 + k % 1000;
        foreach (double v in d.Values)
            t = t * 5 + (long)(v * 4);
        foreach (var (k, v) in d)
            t = t * 7 + k % 100 + (long)v;
        return t + d.Keys.Count + d.Values.Count;
    }

    public static long Trimmed(int n)
    {
        var d = new Dictionary<int, long>(200);
        for (int i = 0; i < 100; i++)
            d[i] = i * 3L;
        for (int i = 0; i < 100; i += (n & 3) + 2)
            d.Remove(i);
        int before = d.EnsureCapacity(0);
        d.TrimExcess();
        d[-1] = 7; // fills the first free entry: none after trimming, so it goes last
        long t = before * 1000L + d.EnsureCapacity(0);
        foreach (var pair in d)
            t = t * 3 + pair.Key + pair.Value;
        return t;
    }

    public static int Lookups(int[] a, int k)
    {
        var d = new Dictionary<int, int>(a.Length);
        for (int i = 0; i < a.Length; i++)
            d[a[i]] = i;
        int t = d.ContainsKey(k) ? 1 : 0;
        t += d.ContainsValue(k) ? 10 : 0;
        t += d.TryGetValue(k, out int at) ? 100 + at : 0;
        t += d.GetValueOrDefault(k + 1, -5) * 1000;
        return t;
    }

    public static int MissingKey(int[] a, int k)
    {
        var d = new Dictionary<int, int>();
        foreach (int v in a)
            d[v] = v * 2;
        return d[k];
    }

    public static int MissingEnumKey(int n)
    {
        var d = new Dictionary<Op, int> { [Op.Add] = 1, [Op.Minimum] = 4 };
        return d[(Op)(n & 7)];
    }

    public static int MissingStructKey(int n)
    {
        var d = new Dictionary<Cell, int>();
        for (int i = 0; i < 8; i++)
            d.Add(new Cell(i, i * 2), i);
        return d[new Cell(n & 15, (n & 15) * 2)] + d.Count;
    }

    public static int DuplicateEnumKey(int n)
    {
        var d = new Dictionary<Tiny, int>();
        d.Add(Tiny.Low, 1);
        d.Add((Tiny)(n % 128), 2);
        return d.Count;
    }

    public static int DuplicateKey(int[] a)
    {
        var d = new Dictionary<int, bool>();
        foreach (int v in a)
            d.Add(v % 7, true);
        return d.Count;
    }

    public static int AddDuringForeach(int[] a)
    {
        var d = new Dictionary<int, int>();
        foreach (int v in a)
            d[v & 15] = v;
        int t = 0;
        foreach (var pair in d)
        {
            t += pair.Value;
            if (pair.Key > 10)
                d[pair.Key + 100] = 1;
        }
        return t;
    }

    public static long RemoveAndOverwriteDuringForeach(int[] a)
    {
        var d = new Dictionary<int, long>();
        foreach (int v in a)
            d[v & 31] = v;
        long t = 0;
        foreach (var pair in d)
        {
            t = t * 3 + pair.Value;
            if ((pair.Key & 1) == 0)
                d.Remove(pair.Key);
            else
                d[pair.Key] = -pair.Value;
        }
        foreach (var pair in d)
            t = t * 5 + pair.Value;
        return t + d.Count;
    }

    public static int Capacities(int n)
    {
        n %= 5000;
        var d = new Dictionary<int, int>(Math.Max(n, 0) % 40);
        int first = d.EnsureCapacity(n);
        for (int i = 0; i < 50; i++)
            d[i] = i;
        d.Clear();
        d[1] = 1;
        return first * 1000 + d.EnsureCapacity(60) + d.Count;
    }

    public static int NegativeCapacity(int n) => new Dictionary<int, int>(n % 1000).Count;

    public static int FloatKeys(double[] a, double x)
    {
        var d = new Dictionary<double, int>();
        for (int i = 0; i < a.Length; i++)
            d[a[i]] = i;
        return d.GetValueOrDefault(x, -1) * 100 + d.GetValueOrDefault(-0.0, -1) + (d.ContainsKey(double.NaN) ? 10000 : 0) + d.Count * 100000;
    }

    public static long EnumAndStructKeys(int n)
    {
        var byOp = new Dictionary<Op, int>();
        var byPoint = new Dictionary<Point, long>();
        for (int i = 0; i < (n & 31) + 3; i++)
        {
            Op op = (Op)(i % 4);
            byOp[op] = byOp.GetValueOrDefault(op) + i;
            byPoint[new Point(i % 5, i % 3)] = i;
        }
        long t = byOp[Op.Maximum] + byOp.Count * 100;
        foreach (var pair in byPoint)
            t = t * 7 + pair.Key.X * 3 + pair.Key.Y + pair.Value;
        return t + (byPoint.ContainsKey(new Point(4, 2)) ? 1 : 0);
    }

    public static double InstanceValues(int n)
    {
        var weights = new Dictionary<int, Weight>();
        for (int i = 0; i < (n & 63); i++)
            weights[i % 10] = new Weight(i, i * 0.5); // overwriting releases the instance it held
        weights.Remove(3);
        double t = 0;
        foreach (Weight w in weights.Values)
            t = t * 0.5 + w.Value + w.Id;
        Weight kept = weights.TryGetValue(4, out Weight? four) ? four : new Weight(-1, -1);
        weights.Clear();
        return t + weights.Count + kept.Value;
    }

    public static int ListValues(int[] a)
    {
        var groups = new Dictionary<int, List<int>>();
        foreach (int v in a)
        {
            int key = v & 3;
            if (!groups.TryGetValue(key, out List<int>? group))
            {
                group = new List<int>();
                groups.Add(key, group);
            }
            group.Add(v);
        }
        int t = 0;
        foreach (var (key, group) in groups)
            t = t * 5 + key + group.Count * 3 + group[^1] % 100;
        return t;
    }
}
