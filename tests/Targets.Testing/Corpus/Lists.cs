using System;
using System.Collections.Generic;
using Targets;

namespace Corpus;

[JitClass]
public sealed class Weight
{
    public double Value;
    public int Id;

    public Weight(int id, double value)
    {
        Id = id;
        Value = value;
    }
}

// List<T> built, changed and read in compiled code: Add (growth from 4 by doubling, Capacity), collection initialisers,
// the indexer and ^1, Insert, RemoveAt, Remove, Contains and IndexOf (NaN equals NaN, as double.Equals), Clear,
// Reverse, Sort, ToArray, EnsureCapacity, foreach; .NET's exceptions with their messages (an index outside, a negative
// capacity, an Insert past the end, a list changed during foreach); elements that are numbers, structs, jit class
// instances (released when removed, overwritten, cleared or dropped with the list) and lists.
public static class Lists
{
    public static int Primes(int n)
    {
        n &= 255;
        var primes = new List<int>();
        for (int k = 2; primes.Count <= n; k++)
        {
            bool prime = true;
            foreach (int p in primes)
            {
                if (p * p > k)
                    break;
                if (k % p == 0)
                {
                    prime = false;
                    break;
                }
            }
            if (prime)
                primes.Add(k);
        }
        return primes[^1] * 1000 + primes.Capacity;
    }

    public static long Changes(int[] a)
    {
        var list = new List<int> { 5, 3, 9 };
        foreach (int v in a)
            list.Add(v % 50);
        list.Insert(1, 42);
        list.RemoveAt(0);
        list.Remove(9);
        list.Reverse();
        long t = list.Count * 1000L + list.IndexOf(42) * 100 + (list.Contains(3) ? 1 : 0);
        int[] copy = list.ToArray();
        list.Sort();
        for (int i = 0; i < list.Count; i++)
            t = t * 7 + list[i] - copy[i];
        return t + list.Capacity;
    }

    public static int IndexOutside(int[] a, int i)
    {
        var list = new List<int>(a.Length);
        foreach (int v in a)
            list.Add(v);
        return list[i];
    }

    public static int WriteOutside(int i, int v)
    {
        var list = new List<int> { 1, 2, 3 };
        list[i] = v;
        return list[0] + list[1] + list[2];
    }

    public static int InsertAt(int i)
    {
        var list = new List<int> { 1, 2, 3 };
        list.Insert(i, 9);
        return list.IndexOf(9) * 10 + list.Count;
    }

    public static int RemoveAtOutside(int i)
    {
        var list = new List<int> { 1, 2, 3 };
        list.RemoveAt(i);
        return list[0] * 10 + list.Count;
    }

    public static int Capacities(int n)
    {
        n %= 1000; // negative now and then, never gigabytes
        var list = new List<long>(n);
        int grown = list.EnsureCapacity(n + 1);
        for (int i = 0; i < 9; i++)
            list.Add(i);
        return grown * 1000 + list.Capacity;
    }

    public static int ChangedDuringForeach(int[] a)
    {
        var list = new List<int>();
        foreach (int v in a)
            list.Add(v);
        int t = 0;
        foreach (int v in list)
        {
            t += v;
            if (v > 100)
                list.Add(v / 2);
        }
        return t;
    }

    public static int NaNsAreFound(double[] a, double x)
    {
        var list = new List<double>();
        foreach (double v in a)
            list.Add(v);
        return list.IndexOf(x) * 10 + (list.Contains(double.NaN) ? 1 : 0) + (list.Remove(x) ? 100000 : 0);
    }

    public static int StructElements(int n)
    {
        var points = new List<Point>();
        for (int i = 0; i < (n & 31); i++)
            points.Add(new Point(i, -i));
        if (points.Count > 2)
            points[1] = new Point(100, 100);
        int t = 0;
        foreach (Point p in points)
            t += p.Manhattan;
        return t + points.IndexOf(new Point(3, -3));
    }

    public static double InstanceElements(int n)
    {
        var weights = new List<Weight>();
        for (int i = 0; i < (n & 63); i++)
            weights.Add(new Weight(i, i * 0.5));
        if (weights.Count > 3)
        {
            weights.RemoveAt(0);
            weights[1] = new Weight(-1, 99);
            weights.Insert(2, weights[0]);
        }
        double t = 0;
        foreach (Weight w in weights)
            t = t * 0.5 + w.Value + w.Id;
        var kept = weights.Count > 0 ? weights[^1] : new Weight(0, 0);
        weights.Clear();
        weights.Add(kept);
        return t + weights.Count + kept.Value;
    }

    public static int ListsOfLists(int n)
    {
        var rows = new List<List<int>>();
        for (int r = 0; r < (n & 15); r++)
        {
            var row = new List<int>();
            for (int c = 0; c <= r; c++)
                row.Add(r * c);
            rows.Add(row);
        }
        if (rows.Count > 1)
            rows.RemoveAt(1);
        int t = 0;
        foreach (List<int> row in rows)
            t = t * 3 + row.Count + (row.Count > 0 ? row[^1] : 0);
        return t;
    }

    public static int CollectionExpressions(int[] a, int n)
    {
        List<int> three = [n, n + 1, n * 2];
        List<int> none = [];
        List<int> spread = [.. a];
        spread.Add(n);
        three.Add(spread.Count);
        return three[0] + three[2] * 3 + three[^1] * 7 + none.Count + spread[^1] + spread.Capacity;
    }

    public static int NegativeCapacity(int n) => new List<int>(n % 1000).Capacity + new List<byte>().Capacity;

    public static int EnsureNegative(int n) => new List<int>().EnsureCapacity(n % 1000);
}
