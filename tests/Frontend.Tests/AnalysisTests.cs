using Targets.Frontend.Analysis;
using Targets.Frontend.Ir;

namespace Targets.Frontend.Tests;

/// <summary>
/// The analyses passes share, against their definitions on random control-flow graphs: dominance
/// (every path from the entry to b passes through a) by the textbook data-flow equations, and
/// innermost loops by comparing every pair of loops.
/// </summary>
public sealed class AnalysisTests
{
    /// <summary>A function of <paramref name="blocks"/> blocks, each ending in a return, a jump or a branch to random blocks (loops, merges and unreachable blocks included).</summary>
    static IrFunction RandomCfg(Random random, int blocks)
    {
        var f = new IrFunction("random", IrType.Void, []);
        for (int b = 0; b < blocks; b++)
            f.NewBlock(b);
        var at = new SourceLocation(0, null, 0);
        for (int b = 0; b < blocks; b++)
        {
            var w = new BlockWriter(f, f.Blocks[b], at);
            switch (random.Next(b == blocks - 1 ? 1 : 6))
            {
                case 0:
                    w.Return();
                    break;
                case 1 or 2:
                    w.Jump(f.Blocks[random.Next(blocks)].Id);
                    break;
                default:
                    w.Branch(w.Const(IrType.I32, 1), f.Blocks[random.Next(blocks)].Id, f.Blocks[random.Next(blocks)].Id);
                    break;
            }
        }
        return f;
    }

    /// <summary>Dom(entry) = {entry}; Dom(n) = {n} ∪ ⋂ Dom(p) over reachable predecessors p, to a fixed point.</summary>
    static HashSet<int>?[] Dominators(ControlFlowGraph cfg)
    {
        int count = cfg.Successors.Length;
        var reachable = new HashSet<int>(cfg.ReversePostorder());
        var dom = new HashSet<int>?[count];
        for (int n = 0; n < count; n++)
            dom[n] = reachable.Contains(n) ? (n == 0 ? [0] : [.. reachable]) : null;
        for (bool changed = true; changed;)
        {
            changed = false;
            foreach (int n in reachable.Where(n => n != 0))
            {
                HashSet<int>? meet = null;
                foreach (int p in cfg.Predecessors[n].Where(reachable.Contains))
                {
                    if (meet is null)
                        meet = [.. dom[p]!];
                    else
                        meet.IntersectWith(dom[p]!);
                }
                meet ??= [];
                meet.Add(n);
                if (!meet.SetEquals(dom[n]!))
                {
                    dom[n] = meet;
                    changed = true;
                }
            }
        }
        return dom;
    }

    [Fact]
    public void Dominance_agrees_with_the_data_flow_definition()
    {
        var random = new Random(20261206);
        for (int trial = 0; trial < 300; trial++)
        {
            IrFunction f = RandomCfg(random, random.Next(1, 40));
            var cfg = new ControlFlowGraph(f);
            var tree = new DominatorTree(cfg);
            HashSet<int>?[] expected = Dominators(cfg);
            for (int a = 0; a < f.Blocks.Count; a++)
            {
                for (int b = 0; b < f.Blocks.Count; b++)
                    Assert.True((expected[b]?.Contains(a) == true && expected[a] is not null) == tree.Dominates(a, b), $"trial {trial}: does {a} dominate {b}?");
            }
        }
    }

    [Fact]
    public void A_loop_is_innermost_among_headers_when_no_other_loop_lies_inside_it()
    {
        var random = new Random(7);
        int seen = 0;
        for (int trial = 0; trial < 300; trial++)
        {
            IrFunction f = RandomCfg(random, random.Next(2, 30));
            var cfg = new ControlFlowGraph(f);
            List<NaturalLoop> loops = NaturalLoop.Find(cfg, new DominatorTree(cfg));
            var headers = loops.Select(l => l.Header).ToHashSet();
            foreach (NaturalLoop loop in loops)
            {
                bool expected = loops.All(other => other == loop || !loop.Blocks.Contains(other.Header));
                Assert.Equal(expected, loop.IsInnermostAmong(headers));
                seen += expected ? 0 : 1;
            }
        }
        Assert.True(seen > 0, "no trial made a nest of loops");
    }

    [Fact]
    public void Store_effects_reach_callers_through_a_long_chain_in_one_pass()
    {
        // f0 → f1 → … → f199: only the last stores a counted element, and every caller may release.
        var module = new IrModule(ScalarTypes.Instance);
        var at = new SourceLocation(0, null, 0);
        const int chain = 200;
        for (int n = 0; n < chain; n++)
            module.Functions.Add(new IrFunction($"f{n}", IrType.Void, []));
        for (int n = 0; n < chain; n++)
        {
            IrFunction f = module.Functions[n];
            var w = new BlockWriter(f, f.NewBlock(0), at);
            int callee = n + 1;
            if (callee < chain)
                w.Append(Opcode.Call, IrType.Void, [], i => { i.Callee = callee; return i; });
            else
                f.Blocks[0].Instructions.Add(new Instruction(Opcode.StoreElement, IrType.Void, null, [w.Null(), w.Const(IrType.I32, 0), w.Null()], at) { TargetType = module.Types.ArrayOf(IrType.I32) });
            w.Return();
        }
        StoreEffects effects = StoreEffects.Of(module);
        Assert.All(effects.MayReleaseOf, Assert.True);
        Assert.Same(effects, StoreEffects.Of(module)); // kept for the pass that asks again
        module.ForgetAnalyses();
        Assert.NotSame(effects, StoreEffects.Of(module));
    }
}
