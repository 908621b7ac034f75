namespace Targets.Frontend.Analysis;

/// <summary>
/// Immediate dominators by the Cooper–Harvey–Kennedy iteration over reverse postorder.
/// Unreachable blocks have no dominator (-1) and dominate nothing.
/// </summary>
public sealed class DominatorTree
{
    readonly int[] idom;
    readonly int[] order;

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
        for (int x = b; ; x = idom[x])
        {
            if (x == a)
                return true;
            if (x == 0)
                return false;
        }
    }
}
