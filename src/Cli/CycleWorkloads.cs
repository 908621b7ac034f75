using System.Runtime.CompilerServices;

namespace Targets.Cli;

/// <summary>A node of a doubly linked ring: every instance is in a cycle, so the cycle collector tracks the class.</summary>
[JitClass]
internal sealed class BenchRingLink
{
    internal BenchRingLink? Prev;
    internal BenchRingLink? Next;
    internal long Value;

    internal BenchRingLink(long value) => Value = value;
}

/// <summary><see cref="BenchTree"/> marked acyclic: the same tree, never tracked by the cycle collector.</summary>
[JitClass(Acyclic = true)]
internal sealed class BenchAcyclicTree
{
    internal BenchAcyclicTree? Left;
    internal BenchAcyclicTree? Right;

    internal BenchAcyclicTree(BenchAcyclicTree? left, BenchAcyclicTree? right)
    {
        Left = left;
        Right = right;
    }

    internal static BenchAcyclicTree Make(int depth) => depth == 0 ? new BenchAcyclicTree(null, null) : new BenchAcyclicTree(Make(depth - 1), Make(depth - 1));

    internal int Check() => Left is null ? 1 : 1 + Left.Check() + Right!.Check();
}

/// <summary>
/// The cycle collector's rows: garbage cycles made and reclaimed (against .NET making the same and its GC reclaiming
/// them), the pause of a collection over a million live tracked instances (against a full .NET GC over the same
/// structure), and binary-trees with nodes the collector does not track (the cost of tracking is the difference
/// from the BinaryTrees row, whose nodes it tracks).
/// </summary>
internal static class CycleWorkloads
{
    /// <summary><paramref name="count"/> instances in doubly linked rings of four, each dropped as soon as it is made.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static long DropRings(int count)
    {
        long sum = 0;
        for (int i = 0; i < count / 4; i++)
        {
            BenchRingLink ring = Ring(4, i);
            sum += ring.Next!.Next!.Value + ring.Prev!.Value;
        }
        return sum;
    }

    /// <summary>A doubly linked ring of <paramref name="count"/> instances (values from <paramref name="seed"/>).</summary>
    internal static BenchRingLink Ring(int count, long seed)
    {
        var first = new BenchRingLink(seed);
        BenchRingLink last = first;
        for (int k = 1; k < count; k++)
        {
            var next = new BenchRingLink(seed + k) { Prev = last };
            last.Next = next;
            last = next;
        }
        last.Next = first;
        first.Prev = last;
        return first;
    }

    /// <summary>binary-trees (as <see cref="Workloads.BinaryTrees"/>) over <see cref="BenchAcyclicTree"/> nodes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static long BinaryTreesAcyclic(int maxDepth)
    {
        const int minDepth = 4;
        maxDepth = Math.Max(minDepth + 2, maxDepth);
        long total = BenchAcyclicTree.Make(maxDepth + 1).Check();
        BenchAcyclicTree longLived = BenchAcyclicTree.Make(maxDepth);
        for (int depth = minDepth; depth <= maxDepth; depth += 2)
        {
            int iterations = 1 << (maxDepth - depth + minDepth);
            for (int i = 0; i < iterations; i++)
                total += BenchAcyclicTree.Make(depth).Check();
        }
        return total + longLived.Check();
    }
}
