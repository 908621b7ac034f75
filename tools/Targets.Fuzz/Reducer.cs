namespace Targets.Fuzz;

/// <summary>
/// Shrinks a failing program while it keeps failing the same way (the predicate): drops inputs
/// other than the failing one, helpers and classes, statements, and the wrapping of compound
/// statements (an <c>if</c> or loop replaced by its body), and replaces expressions by an operand
/// of the same type or by that type's zero. Statements marked <see cref="Stmt.Keep"/> (what keeps the
/// program terminating) stay. Greedy: the first change that keeps the failure is kept,
/// and the search restarts, until no change helps or the budget of tries is spent. Candidates that
/// no longer compile simply fail the predicate.
/// </summary>
internal static class Reducer
{
    public static ProgramModel Reduce(ProgramModel program, Func<ProgramModel, bool> stillFails, int budget = 400)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(stillFails);
        ProgramModel current = program;
        int tries = 0;
        bool progress = true;
        while (progress && tries < budget)
        {
            progress = false;
            foreach (ProgramModel candidate in Candidates(current))
            {
                if (++tries > budget)
                    break;
                if (candidate.Size < current.Size || candidate.Inputs.Count < current.Inputs.Count || candidate.Helpers.Count < current.Helpers.Count)
                {
                    if (stillFails(candidate))
                    {
                        current = candidate;
                        progress = true;
                        break;
                    }
                }
            }
        }
        return current;
    }

    static IEnumerable<ProgramModel> Candidates(ProgramModel p)
    {
        for (int h = p.Helpers.Count - 1; h >= 0; h--)
        {
            ProgramModel c = Clone(p);
            c.Helpers.RemoveAt(h);
            yield return c;
        }
        for (int k = p.Classes.Count - 1; k >= 0; k--)
        {
            ProgramModel c = Clone(p);
            c.Classes.RemoveAt(k);
            yield return c;
        }
        int lists = Lists(p).Count;
        for (int l = 0; l < lists; l++)
        {
            int count = Lists(p)[l].Count;
            // Halves first, then single statements from the end (declarations come first, uses after).
            for (int size = Math.Max(1, count / 2); size >= 1; size = size == 1 ? 0 : Math.Max(1, size / 2))
            {
                for (int start = count - size; start >= 0; start -= size)
                {
                    if (Lists(p)[l].Skip(start).Take(size).Any(s => s.Keep))
                        continue; // a base case or a loop's step: without it the program need not terminate
                    ProgramModel c = Clone(p);
                    Lists(c)[l].RemoveRange(start, size);
                    yield return c;
                }
            }
            for (int s = 0; s < count; s++)
            {
                if (Lists(p)[l][s].Body is not { } body || Lists(p)[l][s].Header.StartsWith("case", StringComparison.Ordinal))
                    continue;
                ProgramModel c = Clone(p);
                List<Stmt> list = Lists(c)[l];
                List<Stmt> inner = list[s].Body!;
                list.RemoveAt(s);
                list.InsertRange(s, inner);
                yield return c;
            }
        }
        int expressions = CountExpressions(p);
        for (int e = 0; e < expressions; e++)
        {
            foreach (Func<Expr, Expr?> simplify in Simplifications())
            {
                if (ReplaceExpression(p, e, simplify) is { } c)
                    yield return c;
            }
        }
    }

    /// <summary>Ways to make one expression smaller: each same-typed operand, or the type's zero.</summary>
    static IEnumerable<Func<Expr, Expr?>> Simplifications()
    {
        for (int a = 0; a < 3; a++)
        {
            int operand = a;
            yield return e => e.Args.Length > operand && e.Args[operand].Type == e.Type ? e.Args[operand] : null;
        }
        yield return e => e.Args.Length > 0 || e.Constant ? Expr.Leaf(e.Type, Zero(e.Type), constant: true) : null;
    }

    static string Zero(Ty t) => t switch { Ty.Bool => "false", Ty.Float => "0f", Ty.Double => "0.0", _ => $"(({t.Name()})0)" };

    /// <summary>Every statement list of the program, in a fixed order (so the same index names the same list in a clone).</summary>
    static List<List<Stmt>> Lists(ProgramModel p)
    {
        var lists = new List<List<Stmt>>();
        void Walk(List<Stmt> list)
        {
            lists.Add(list);
            foreach (Stmt s in list)
            {
                if (s.Body is not null)
                    Walk(s.Body);
                if (s.Else is not null)
                    Walk(s.Else);
            }
        }
        foreach (ClassModel c in p.Classes)
        {
            Walk(c.Constructor.Body);
            c.Methods.ForEach(m => Walk(m.Body));
        }
        p.Helpers.ForEach(h => Walk(h.Body));
        Walk(p.Entry.Body);
        return lists;
    }

    static int CountExpressions(ProgramModel p) =>
        Lists(p).SelectMany(l => l).Sum(s => s.Exprs.Sum(Count));

    static int Count(Expr e) => 1 + e.Args.Sum(Count);

    /// <summary>A clone with the <paramref name="index"/>-th expression (pre-order over statements in <see cref="Lists"/> order) rewritten; null when the rewrite declines.</summary>
    static ProgramModel? ReplaceExpression(ProgramModel p, int index, Func<Expr, Expr?> rewrite)
    {
        ProgramModel c = Clone(p);
        int seen = 0;
        bool done = false;
        Expr Visit(Expr e)
        {
            if (done)
                return e;
            if (seen++ == index)
            {
                done = true;
                return rewrite(e) ?? e;
            }
            Expr[] args = e.Args.Select(Visit).ToArray();
            return args.SequenceEqual(e.Args) ? e : e with { Args = args };
        }
        foreach (List<Stmt> list in Lists(c))
        {
            for (int s = 0; s < list.Count && !done; s++)
            {
                Expr[] exprs = list[s].Exprs.Select(Visit).ToArray();
                if (!exprs.SequenceEqual(list[s].Exprs))
                    list[s] = list[s] with { Exprs = exprs };
            }
        }
        return done && c.Render() != p.Render() ? c : null;
    }

    /// <summary>A deep copy of the statement lists (statements and expressions themselves are immutable).</summary>
    public static ProgramModel Clone(ProgramModel p)
    {
        static List<Stmt> Copy(List<Stmt> list) => list.Select(s => s with { Body = s.Body is null ? null : Copy(s.Body), Else = s.Else is null ? null : Copy(s.Else) }).ToList();
        static MethodModel Method(MethodModel m) => m with { Body = Copy(m.Body) };
        return p with
        {
            Classes = p.Classes.Select(c => c with { Fields = [.. c.Fields], Constructor = Method(c.Constructor), Methods = c.Methods.Select(Method).ToList() }).ToList(),
            Helpers = p.Helpers.Select(Method).ToList(),
            Entry = Method(p.Entry),
            Inputs = [.. p.Inputs],
        };
    }

    /// <summary>The program with only input <paramref name="keep"/>.</summary>
    public static ProgramModel KeepInput(ProgramModel p, int keep) => Clone(p) with { Inputs = [p.Inputs[keep]] };
}
