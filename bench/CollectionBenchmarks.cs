using BenchmarkDotNet.Attributes;
using Targets.Cli;
using Targets.Cpu;

namespace Targets.Bench;

/// <summary>
/// The collection workloads (issue 39), .NET running the C# as it is (baseline) against the cpu target: lists of 1,000
/// ints filled by Add and summed by foreach, a Dictionary&lt;long, double&gt; word count (TryGetValue, then the indexer)
/// over 50,000 keys, a breadth-first search with a HashSet&lt;int&gt; and a Queue&lt;int&gt; — the rows
/// <c>targets bench</c> runs as list-int-fill-and-sum, dictionary-long-double-word-count and
/// hashset-int-breadth-first-search.
/// </summary>
[Config(typeof(ShortConfig))]
public class CollectionBenchmarks
{
    const int Ints = 10_000_000, Updates = 1_000_000, Nodes = 1_000_000;
    CpuTarget? cpuTarget;
    Func<int, long> fill = null!;
    Func<long[], double> wordCount = null!;
    Func<int, long> search = null!;
    long[] words = null!;

    [GlobalSetup]
    public void Setup()
    {
        cpuTarget = new CpuTarget();
        var random = new Random(39);
        words = [.. Enumerable.Range(0, Updates).Select(_ => random.Next(CollectionWorkloads.Words) * 1_000_003L)];
        fill = cpuTarget.Compile(CollectionWorkloads.FillAndSum).AsDelegate<Func<int, long>>();
        wordCount = cpuTarget.Compile(CollectionWorkloads.WordCount).AsDelegate<Func<long[], double>>();
        search = cpuTarget.Compile(CollectionWorkloads.BreadthFirst).AsDelegate<Func<int, long>>();
        Agreement.Check("List<int> fill and sum", [fill(100_000)], [CollectionWorkloads.FillAndSum(100_000)]);
        Agreement.Check("Dictionary<long, double> word count", [wordCount(words)], [CollectionWorkloads.WordCount(words)]);
        Agreement.Check("HashSet<int> breadth-first search", [search(10_000)], [CollectionWorkloads.BreadthFirst(10_000)]);
    }

    [GlobalCleanup]
    public void Cleanup() => cpuTarget?.Dispose();

    [Benchmark(Baseline = true)]
    public long ListFillDotNet() => CollectionWorkloads.FillAndSum(Ints);

    [Benchmark]
    public long ListFillCpu() => fill(Ints);

    [Benchmark]
    public double WordCountDotNet() => CollectionWorkloads.WordCount(words);

    [Benchmark]
    public double WordCountCpu() => wordCount(words);

    [Benchmark]
    public long BreadthFirstDotNet() => CollectionWorkloads.BreadthFirst(Nodes);

    [Benchmark]
    public long BreadthFirstCpu() => search(Nodes);
}
