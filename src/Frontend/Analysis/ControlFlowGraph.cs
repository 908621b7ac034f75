using Targets.Frontend.Ir;

namespace Targets.Frontend.Analysis;

/// <summary>Successors and predecessors of every block of a function, from the terminators and the blocks' exception handlers.</summary>
public sealed class ControlFlowGraph
{
    public ControlFlowGraph(IrFunction function)
    {
        int count = function.Blocks.Count;
        Successors = new List<int>[count];
        Predecessors = new List<int>[count];
        for (int n = 0; n < count; n++)
        {
            Successors[n] = [];
            Predecessors[n] = [];
        }
        foreach (IrBlock block in function.Blocks)
        {
            foreach (BlockTarget target in block.Terminator?.Targets ?? [])
                Edge(block.Id.Index, target.Block.Index);
            if (block.Handler is { } handler)
                Edge(block.Id.Index, handler.Index);
        }
    }

    void Edge(int from, int to)
    {
        if (!Successors[from].Contains(to))
        {
            Successors[from].Add(to);
            Predecessors[to].Add(from);
        }
    }

    public List<int>[] Successors { get; }

    public List<int>[] Predecessors { get; }

    /// <summary>Blocks in reverse postorder from the entry (unreachable blocks omitted).</summary>
    public List<int> ReversePostorder()
    {
        var order = new List<int>();
        var visited = new bool[Successors.Length];
        var stack = new Stack<(int Block, int Next)>();
        stack.Push((0, 0));
        visited[0] = true;
        while (stack.Count > 0)
        {
            (int block, int next) = stack.Pop();
            if (next < Successors[block].Count)
            {
                stack.Push((block, next + 1));
                int successor = Successors[block][next];
                if (!visited[successor])
                {
                    visited[successor] = true;
                    stack.Push((successor, 0));
                }
            }
            else
            {
                order.Add(block);
            }
        }
        order.Reverse();
        return order;
    }
}
