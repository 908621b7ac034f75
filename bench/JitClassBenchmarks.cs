using BenchmarkDotNet.Attributes;
using Targets.Cli;
using Targets.Cpu;

namespace Targets.Bench;

/// <summary>
/// The jit-class workloads of issue 12 (many small instances: allocation, reference counting,
/// destruction, list walks), each as .NET running the C# with ordinary objects (baseline) against
/// the cpu target: binary-trees at depth 16, a 1,000-node linked list built, walked and dropped
/// 1,000 times, and n-body over an array of 5 jit-class bodies for 100,000 steps.
/// </summary>
[Config(typeof(ShortConfig))]
public class JitClassBenchmarks
{
    const int TreeDepth = 16, ListLength = 1_000, ListRounds = 1_000, BodySteps = 100_000;
    CpuTarget? target;
    Func<int, long> binaryTrees = null!;
    Func<int, int, long> linkedList = null!;
    Func<int, double> nBody = null!;

    [GlobalSetup]
    public void Setup()
    {
        target = new CpuTarget();
        binaryTrees = target.Compile(Workloads.BinaryTrees).AsDelegate<Func<int, long>>();
        linkedList = target.Compile(Workloads.LinkedList).AsDelegate<Func<int, int, long>>();
        nBody = target.Compile(Workloads.NBody).AsDelegate<Func<int, double>>();
        Agreement.Check("BinaryTrees", [binaryTrees(TreeDepth)], [Workloads.BinaryTrees(TreeDepth)]);
        Agreement.Check("LinkedList", [linkedList(ListLength, ListRounds)], [Workloads.LinkedList(ListLength, ListRounds)]);
        Agreement.Check("NBody", [nBody(BodySteps)], [Workloads.NBody(BodySteps)]);
    }

    [GlobalCleanup]
    public void Cleanup() => target?.Dispose();

    [Benchmark(Baseline = true)]
    public long BinaryTreesDotNet() => Workloads.BinaryTrees(TreeDepth);

    [Benchmark]
    public long BinaryTreesCpu() => binaryTrees(TreeDepth);

    [Benchmark]
    public long LinkedListDotNet() => Workloads.LinkedList(ListLength, ListRounds);

    [Benchmark]
    public long LinkedListCpu() => linkedList(ListLength, ListRounds);

    [Benchmark]
    public double NBodyDotNet() => Workloads.NBody(BodySteps);

    [Benchmark]
    public double NBodyCpu() => nBody(BodySteps);
}
