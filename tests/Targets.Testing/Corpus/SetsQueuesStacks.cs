using System;
using System.Collections.Generic;

namespace Corpus;

// HashSet<T>, Queue<T> and Stack<T> in compiled code: Add/Contains/Remove/Clear/UnionWith/ExceptWith, a set built from
// an array (trimmed as .NET trims), breadth-first search over a set and a queue, Enqueue/Dequeue/Peek/TryDequeue and
// a ring that wraps, Push/Pop/Peek/TryPop, ToArray and foreach in .NET's order (sets: the table's; queues: head to
// tail; stacks: top to bottom), EnsureCapacity, .NET's exceptions (an empty queue or stack, a collection changed during
// foreach), instance elements (and instance keys, compared and hashed by identity as .NET's default comparer does)
// released when removed.
public static class SetsQueuesStacks
{
    public static long SetMembers(int[] a, int k)
    {
        var set = new HashSet<int>();
        int added = 0;
        foreach (int v in a)
            added += set.Add(v % 17) ? 1 : 0;
        set.Remove(k % 17);
        set.UnionWith(new[] { k, k + 1, k });
        set.ExceptWith(new[] { 3, 4 });
        long t = added * 1000L + set.Count + (set.Contains(k) ? 100 : 0);
        foreach (int v in set)
            t = t * 3 + v;
        return t;
    }

    public static long SetFromArray(int[] a)
    {
        var small = new long[a.Length];
        for (int i = 0; i < a.Length; i++)
            small[i] = a[i] & 3;
        var set = new HashSet<long>(small);
        long t = set.Count * 1000L + set.EnsureCapacity(0);
        foreach (long v in set)
            t = t * 7 + v;
        set.Clear();
        return t + set.Count + set.EnsureCapacity(10);
    }

    public static int BreadthFirst(int n)
    {
        n = (n & 255) + 2;
        var seen = new HashSet<int> { 0 };
        var frontier = new Queue<int>();
        frontier.Enqueue(0);
        int steps = 0;
        while (frontier.TryDequeue(out int at))
        {
            steps++;
            foreach (int next in new[] { (at * 3 + 1) % n, (at + 7) % n, at / 2 })
            {
                if (seen.Add(next))
                    frontier.Enqueue(next);
            }
        }
        return steps * 1000 + seen.Count;
    }

    public static long QueueRing(int[] a)
    {
        var q = new Queue<int>(3);
        long t = 0;
        foreach (int v in a)
        {
            q.Enqueue(v);
            if ((v & 1) == 0)
                t = t * 3 + q.Dequeue();
        }
        t += q.Count > 0 ? q.Peek() : -1;
        foreach (int v in q)
            t = t * 5 + v % 1000;
        int[] copy = q.ToArray();
        return t + copy.Length + (q.Contains(a.Length > 0 ? a[^1] : 0) ? 7 : 0) + q.EnsureCapacity(2);
    }

    public static int DequeueEmpty(int n)
    {
        var q = new Queue<double>();
        for (int i = 0; i < (n & 3); i++)
            q.Enqueue(i);
        return (int)(q.Dequeue() + q.Dequeue());
    }

    public static long StackOrder(int[] a)
    {
        var s = new Stack<long>();
        foreach (int v in a)
        {
            if (v < 0 && s.TryPop(out long top))
                s.Push(top * 2);
            s.Push(v);
        }
        long t = s.Count > 0 ? s.Peek() : 0;
        foreach (long v in s)
            t = t * 3 + v % 100;
        long[] copy = s.ToArray();
        return t + (copy.Length > 0 ? copy[0] : 0) + s.EnsureCapacity(0) + (s.Contains(1) ? 1 : 0);
    }

    public static int PopEmpty(int n)
    {
        var s = new Stack<int>();
        for (int i = 0; i < (n & 3); i++)
            s.Push(i);
        return s.Pop() + s.Pop() + s.Peek();
    }

    public static int ChangedDuringForeach(int[] a, int which)
    {
        var set = new HashSet<int>(a);
        var q = new Queue<int>(a);
        var s = new Stack<int>(a);
        int t = 0;
        switch (which & 3)
        {
            case 0:
                foreach (int v in set)
                {
                    t += v;
                    set.Remove(v); // allowed: removing leaves the version
                }
                break;
            case 1:
                foreach (int v in set)
                {
                    t += v;
                    set.Add(v + 1);
                }
                break;
            case 2:
                foreach (int v in q)
                {
                    t += v;
                    if (v > 40)
                        q.Enqueue(v);
                    set.EnsureCapacity(100); // leaves the set's version
                }
                break;
            default:
                foreach (int v in s)
                {
                    t += v;
                    s.Pop();
                }
                break;
        }
        return t + set.Count;
    }

    public static double InstanceElements(int n)
    {
        var q = new Queue<Weight>();
        var s = new Stack<Weight>();
        var set = new HashSet<Weight>();
        var ids = new Dictionary<Weight, int>();
        for (int i = 0; i < (n & 31); i++)
        {
            var w = new Weight(i, i * 0.25);
            q.Enqueue(w);
            s.Push(w);
            set.Add(w);
            ids[w] = i;
        }
        double t = 0;
        while (q.Count > 2)
            t = t * 0.5 + q.Dequeue().Value;
        while (s.TryPop(out Weight? w))
            t += w.Id + (set.Contains(w) ? 1 : 0) + ids[w] + (set.Remove(w) ? 1 : 0);
        t += set.Count + (set.Contains(new Weight(0, 0)) ? 100 : 0) + (ids.ContainsKey(new Weight(1, 0.25)) ? 1000 : 0);
        set.Clear();
        return t + q.Count + set.Count + ids.Count;
    }
}
