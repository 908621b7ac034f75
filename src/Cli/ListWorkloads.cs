using System.Runtime.CompilerServices;

namespace Targets.Cli;

/// <summary>
/// The benchmark's List&lt;T&gt; workload (issue 39's first row): lists of 1,000 ints filled by Add from empty (growing by
/// doubling) and summed by foreach, as many as make the size asked for: the lists stay in the cache, so the row measures
/// the lists' own work (one list of millions would measure the kernel's page faults, which both sides pay).
/// </summary>
internal static class ListWorkloads
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
}
