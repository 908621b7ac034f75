namespace Targets.Fuzz;

/// <summary>
/// Generic code and functions as values in a third of the programs, from a random stream of their own
/// (so the rest of a seed's program is what it was): generic-math helpers
/// (<c>static T G0&lt;T&gt;(T a, T b, double d) where T : INumber&lt;T&gt;</c>) called at several
/// instantiations, checked operators and the Create* conversions included; higher-order helpers taking
/// a <c>Func</c>, called with static lambdas and method groups (each a specialisation of its own), and in
/// the entry with lambdas that capture its first variables; and local functions in the entry, static
/// ones and ones that capture those variables (both kinds of capture see later assignments). Lambda and local function bodies see only their
/// parameter (and the captured variables), never arrays or instances.
/// </summary>
internal sealed partial class Generator
{
    readonly Random functions;

    /// <summary>Local functions of the entry: callable in it only.</summary>
    readonly List<Callee> localFunctions = [];

    /// <summary>The types generic helpers are instantiated at (every numeric type).</summary>
    static readonly Ty[] GenericTypes = Types.Numeric;

    /// <summary>Generic-math helpers and higher-order helpers, their instantiations and specialisations registered as callees.</summary>
    List<MethodModel> FunctionHelpers()
    {
        var made = new List<MethodModel>();
        for (int g = 0, count = functions.Next(1, 3); g < count; g++)
        {
            string name = $"G{g}";
            made.Add(new MethodModel(
                $"static T {name}<T>(T a, T b, double d) where T : System.Numerics.INumber<T>, System.Numerics.IMinMaxValue<T>",
                [new Stmt($"return {GenericExpression(3)};", [])]));
            foreach (Ty t in Enumerable.Range(0, functions.Next(2, 4)).Select(_ => GenericTypes[functions.Next(GenericTypes.Length)]).Distinct())
                callees.Add(new Callee($"{name}<{t.Name()}>", t, [t, t, Ty.Double], Recursive: false));
        }
        for (int h = 0, count = functions.Next(0, 3); h < count; h++)
        {
            Ty t = functions.Next(2) == 0 ? Ty.Int : Ty.Double;
            string name = $"F{h}", type = t.Name();
            string step = t == Ty.Int ? "s = unchecked(f(s) + s * 3);" : "s = f(s) * 0.5 + s;";
            made.Add(new MethodModel($"static {type} {name}(Func<{type}, {type}> f, {type} x, int n)",
            [
                new Stmt($"{type} s = x;", []),
                new Stmt($"for (int i = 0; i < (n & 3); i++) {step}", []),
                new Stmt("return s;", []),
            ]));
            foreach (string lead in Enumerable.Range(0, functions.Next(1, 4)).Select(_ => FunctionArgument(t)).Distinct())
                callees.Add(new Callee(name, t, [t, Ty.Int], Recursive: false) { Lead = lead });
        }
        return made;
    }

    /// <summary>A generic-math expression over <c>a</c>, <c>b</c> (of T) and <c>d</c> (a double).</summary>
    string GenericExpression(int depth)
    {
        string[] leaves = ["a", "b", "a", "b", "T.One", "T.Zero", "T.MaxValue", "T.MinValue", "T.CreateTruncating(d)", "T.CreateSaturating(d)", "T.CreateChecked(d)"];
        if (depth <= 0 || functions.Next(4) == 0)
            return leaves[functions.Next(leaves.Length)];
        string x = GenericExpression(depth - 1), y = GenericExpression(depth - 1);
        return functions.Next(13) switch
        {
            0 => $"({x} + {y})",
            1 => $"({x} - {y})",
            2 => $"({x} * {y})",
            3 => $"T.Max({x}, {y})",
            4 => $"T.Min({x}, {y})",
            5 => $"({x} < {y} ? {x} : {y})",
            6 => $"({y} == T.Zero ? {x} : {x} / {y})",
            7 => $"({y} == T.Zero ? {x} : {x} % {y})",
            8 => $"T.Abs({x})",
            9 => $"T.CreateTruncating(T.Sign({x}))",
            10 => $"checked({x} + {y})",
            11 => $"checked({x} * {y})",
            _ => $"T.Clamp({x}, T.Min(a, b), T.Max(a, b))",
        };
    }

    /// <summary>What a higher-order helper is passed: a static lambda over <c>v</c>, or a method group.</summary>
    string FunctionArgument(Ty t)
    {
        if (functions.Next(4) == 0)
            return t == Ty.Int ? "Math.Abs" : functions.Next(2) == 0 ? "Math.Floor" : "Math.Abs";
        Expr body = Isolated([new Var("v", t, Mutable: false)], () => Expression(t, 2));
        return $"static v => {body.Render()}";
    }

    /// <summary>
    /// Local functions at the head of the entry (after its first variables, which a capturing one reads):
    /// <c>static int L0(int v) => …;</c> or <c>double L1(double v) => … v3 …;</c>; and calls of the
    /// higher-order helpers with lambdas that capture those variables (closures NRT counts, which see the
    /// entry's later assignments to them).
    /// </summary>
    List<Stmt> LocalFunctions()
    {
        var made = new List<Stmt>();
        if (functions.Next(2) != 0)
            return made;
        List<Var> seeds = [.. scopes[0].Select(v => v with { Mutable = false })];
        foreach (Callee higher in callees.Where(c => c.Lead is not null && c.Name.StartsWith('F')).DistinctBy(c => c.Name).ToList())
        {
            Expr body = Isolated([new Var("v", higher.Return, Mutable: false), .. seeds], () => Expression(higher.Return, 2));
            localFunctions.Add(higher with { Lead = $"v => {body.Render()}" });
        }
        for (int l = 0, count = functions.Next(1, 3); l < count; l++)
        {
            Ty t = functions.Next(2) == 0 ? Ty.Int : Ty.Double;
            bool captures = functions.Next(2) == 0;
            string name = $"L{l}";
            Var parameter = new("v", t, Mutable: false);
            List<Var> captured = captures ? seeds : [];
            Expr body = Isolated([parameter, .. captured], () => Expression(t, 2));
            made.Add(new Stmt($"{(captures ? "" : "static ")}{t.Name()} {name}({t.Name()} v) => {body.Render()};", []) { Keep = true });
            localFunctions.Add(new Callee(name, t, [t], Recursive: false));
        }
        callees.AddRange(localFunctions);
        return made;
    }

    /// <summary>The entry's local functions leave the callees once it is made.</summary>
    void ForgetLocalFunctions() => callees.RemoveAll(localFunctions.Contains);

    /// <summary>
    /// An expression made where only <paramref name="visible"/> are in scope: no arrays, instances or
    /// struct variables (a lambda's or local function's body), nothing written.
    /// </summary>
    Expr Isolated(List<Var> visible, Func<Expr> make)
    {
        var saved = (Scopes: scopes.ToList(), Objects: objectScopes.ToList(), Structs: structScopes.ToList(), Arrays: intArrays.ToList(),
            Grids: grids.ToList(), ObjectArrays: objectArrays.ToList(), ReadOnly: readOnlyArrays, HasArrays: hasArrays,
            Counters: (statements, loopDepth, checkedDepth));
        Reset(arrays: false);
        scopes[0].AddRange(visible);
        readOnlyArrays = [];
        Expr made = make();
        Restore(scopes, saved.Scopes);
        Restore(objectScopes, saved.Objects);
        Restore(structScopes, saved.Structs);
        Restore(intArrays, saved.Arrays);
        Restore(grids, saved.Grids);
        Restore(objectArrays, saved.ObjectArrays);
        (readOnlyArrays, hasArrays, (statements, loopDepth, checkedDepth)) = (saved.ReadOnly, saved.HasArrays, saved.Counters);
        return made;
    }

    static void Restore<T>(List<T> list, List<T> saved)
    {
        list.Clear();
        list.AddRange(saved);
    }
}
