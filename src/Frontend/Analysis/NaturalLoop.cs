namespace Targets.Frontend.Analysis;

/// <summary>
/// A natural loop: a header, the blocks that reach a back edge to it without passing through
/// it, and its latches (the back edges' sources).
/// </summary>
public sealed record NaturalLoop(int Header, HashSet<int> Blocks, List<int> Latches)
{
    /// <summary>Every natural loop of the function, one per header (back edges to a header merged).</summary>
    public static List<NaturalLoop> Find(ControlFlowGraph cfg, DominatorTree dominators)
    {
        var loops = new Dictionary<int, NaturalLoop>();
        for (int source = 0; source < cfg.Successors.Length; source++)
        {
            foreach (int header in cfg.Successors[source])
            {
                if (!dominators.Dominates(header, source))
                    continue;
                if (!loops.TryGetValue(header, out NaturalLoop? loop))
                {
                    loop = new NaturalLoop(header, [header], []);
                    loops[header] = loop;
                }
                loop.Latches.Add(source);
                var work = new Stack<int>();
                if (loop.Blocks.Add(source))
                    work.Push(source);
                while (work.Count > 0)
                {
                    foreach (int p in cfg.Predecessors[work.Pop()])
                    {
                        if (loop.Blocks.Add(p))
                            work.Push(p);
                    }
                }
            }
        }
        return [.. loops.Values];
    }

    /// <summary>True when no other loop's header lies inside this one; <paramref name="headers"/> holds every loop's header (checked in the loop's size, not the number of loops).</summary>
    public bool IsInnermostAmong(HashSet<int> headers)
    {
        foreach (int block in Blocks)
        {
            if (block != Header && headers.Contains(block))
                return false;
        }
        return true;
    }
}
