namespace Targets.Frontend.Analysis;

/// <summary>
/// Immediate dominators by the Cooper–Harvey–Kennedy iteration over reverse postorder, then the
/// dominator tree numbered in depth-first order, so <see cref="Dominates"/> is two comparisons
/// (not a walk up the tree, which is as deep as the function is long for a run of sequential
/// loops). Unreachable blocks have no dominator (-1) and dominate nothing.
/// </summary>
public sealed class DominatorTree
{
    readonly int[] idom;
    readonly int[] order;
    readonly int[] enter;
    readonly int[] leave;

    public DominatorTree(ControlFlowGraph cfg)
    {
        List<int> rpo = cfg.ReversePostorder();
        int count = cfg.Successors.Length;
        // Loops over ints rather than LINQ: LINQ over a value type is JIT-compiled in every process.
        order = new int[count];
        idom = new int[count];
        for (int n = 0; n < count; n++)
            order[n] = idom[n] = -1;
        for (int n = 0; n < rpo.Count; n++)
            order[rpo[n]] = n;
        idom[0] = 0;
        for (bool changed = true; changed;)
        {
            changed = false;
            for (int at = 1; at < rpo.Count; at++)
            {
                int block = rpo[at];
                int best = -1;
                foreach (int p in cfg.Predecessors[block])
                {
                    if (idom[p] < 0)
                        continue;
                    best = best < 0 ? p : Intersect(p, best);
                }
                if (best >= 0 && idom[block] != best)
                {
                    idom[block] = best;
                    changed = true;
                }
            }
        }
        (enter, leave) = Number(count);
    }

    /// <summary>Each reachable block's entry and exit times in a depth-first walk of the dominator tree.</summary>
    (int[] Enter, int[] Leave) Number(int count)
    {
        var children = new List<int>[count];
        for (int b = 1; b < count; b++)
        {
            if (idom[b] >= 0)
                (children[idom[b]] ??= []).Add(b);
        }
        int[] inTime = new int[count], outTime = new int[count];
        int clock = 0;
        var stack = new Stack<(int Block, int Next)>();
        stack.Push((0, 0));
        inTime[0] = clock++;
        while (stack.TryPop(out (int Block, int Next) top))
        {
            List<int>? below = children[top.Block];
            if (below is not null && top.Next < below.Count)
            {
                stack.Push((top.Block, top.Next + 1));
                int child = below[top.Next];
                inTime[child] = clock++;
                stack.Push((child, 0));
            }
            else
            {
                outTime[top.Block] = clock++;
            }
        }
        return (inTime, outTime);
    }

    int Intersect(int a, int b)
    {
        while (a != b)
        {
            while (order[a] > order[b])
                a = idom[a];
            while (order[b] > order[a])
                b = idom[b];
        }
        return a;
    }

    /// <summary>True when every path from the entry to <paramref name="b"/> passes through <paramref name="a"/>.</summary>
    public bool Dominates(int a, int b)
    {
        if (idom[b] < 0 || idom[a] < 0)
            return false;
        return enter[a] <= enter[b] && leave[b] <= leave[a];
    }
}
