using System.Runtime.CompilerServices;

namespace Targets.Cli;

/// <summary>
/// The benchmark's collection workloads (issue 39's rows): lists of 1,000 ints filled by Add from empty (growing by
/// doubling) and summed by foreach, as many as make the size asked for (the lists stay in the cache, so the row measures
/// the lists' own work: one list of millions would measure the kernel's page faults, which both sides pay); a
/// Dictionary&lt;long, double&gt; updated per key as a word count is (TryGetValue, then the indexer); a breadth-first
/// search over an implicit graph with a HashSet&lt;int&gt; of nodes seen and a Queue&lt;int&gt; frontier.
/// </summary>
internal static class CollectionWorkloads
{
    internal const int Length = 1000;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static long FillAndSum(int n)
    {
        long sum = 0;
        for (int round = 0; round < n / Length; round++)
        {
            var list = new List<int>();
            for (int i = 0; i < Length; i++)
                list.Add(i ^ round);
            foreach (int v in list)
                sum += v;
        }
        return sum;
    }

    /// <summary>Distinct keys of the word-count row: a table of about a megabyte, as a real vocabulary's.</summary>
    internal const int Words = 50_000;

    /// <summary>Each key's weight added to its total (a word count with weights), then the totals summed in the dictionary's order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double WordCount(long[] keys)
    {
        var totals = new Dictionary<long, double>();
        for (int i = 0; i < keys.Length; i++)
        {
            long key = keys[i];
            double weight = (i & 7) + 0.5;
            if (totals.TryGetValue(key, out double total))
                totals[key] = total + weight;
            else
                totals[key] = weight;
        }
        double sum = 0;
        foreach (var pair in totals)
            sum = sum * 0.5 + pair.Value + pair.Key;
        return sum;
    }

    /// <summary>Breadth-first search from node 0 of the graph whose node v leads to 3v + 1, v + 7, v / 2 and 2v (mod n): the nodes reached and their order's checksum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static long BreadthFirst(int n)
    {
        var seen = new HashSet<int> { 0 };
        var frontier = new Queue<int>();
        frontier.Enqueue(0);
        long order = 0;
        while (frontier.TryDequeue(out int v))
        {
            order = order * 31 + v;
            int a = (int)((3L * v + 1) % n), b = (v + 7) % n, c = v / 2, d = (int)(2L * v % n);
            if (seen.Add(a))
                frontier.Enqueue(a);
            if (seen.Add(b))
                frontier.Enqueue(b);
            if (seen.Add(c))
                frontier.Enqueue(c);
            if (seen.Add(d))
                frontier.Enqueue(d);
        }
        return order + seen.Count;
    }
}
