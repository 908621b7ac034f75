using System.Text;

namespace Targets.Fuzz;

/// <summary>
/// Jit-class hierarchies (issue 37), decided by <see cref="hierarchies"/> apart from the other choices, so that a
/// program without one is the program its seed made before: an abstract base with an abstract and a virtual
/// method, a class derived from it, a sealed class derived from that one (a base. call, a second override), and a
/// sealed sibling; the entry makes instances of all of them through the base type (in locals, and in an array of
/// the base type), calls the virtual methods, tests the classes (is, a type pattern, as, switch on types) and casts
/// (which may throw InvalidCastException), and now and then links instances into a cycle through the base-typed
/// <c>Link</c>. The methods' bodies are wrapping integer arithmetic over the argument and the fields. Never in device programs (cuda refuses calls that depend on the instance's class).
/// </summary>
internal sealed partial class Generator
{
    readonly Random hierarchies;

    /// <summary>Whether this program declares the hierarchy (a quarter of them, none on the device).</summary>
    bool hierarchyDeclared;

    /// <summary>Declares the hierarchy's classes (their text joins the program's type declarations).</summary>
    void MakeHierarchy()
    {
        if (device || hierarchies.Next(4) != 0)
            return;
        hierarchyDeclared = true;
        var text = new StringBuilder();
        text.Append("[JitClass]\npublic abstract class HBase\n{\n    public int Seed;\n    public HBase? Link;\n    protected HBase(int seed) { Seed = seed; }\n")
            .Append("    public abstract int F(int x);\n")
            .Append($"    public virtual int G(int x) => unchecked({Arithmetic(["x", "Seed"], 3)});\n")
            .Append("    public int Both(int x) => unchecked(F(x) ^ G(x + 1));\n}\n\n");
        text.Append("[JitClass]\npublic class HA : HBase\n{\n    public int A;\n")
            .Append($"    public HA(int s) : base(s) {{ A = unchecked({Arithmetic(["s"], 2)}); }}\n")
            .Append($"    public override int F(int x) => unchecked({Arithmetic(["x", "Seed", "A"], 3)});\n}}\n\n");
        text.Append("[JitClass]\npublic sealed class HB : HA\n{\n    public int B;\n")
            .Append($"    public HB(int s) : base(s ^ {hierarchies.Next(1, 64)}) {{ B = unchecked({Arithmetic(["s", "A"], 2)}); }}\n")
            .Append($"    public override int F(int x) => unchecked(base.F(x) + {Arithmetic(["x", "B"], 2)});\n")
            .Append($"    public override int G(int x) => unchecked({Arithmetic(["x", "B", "Seed"], 3)});\n}}\n\n");
        text.Append("[JitClass]\npublic sealed class HC : HBase\n{\n")
            .Append("    public HC(int s) : base(s) { }\n")
            .Append($"    public override int F(int x) => unchecked({Arithmetic(["x", "Seed"], 3)});\n}}\n");
        valueTypeDeclarations.Add(text.ToString());
    }

    /// <summary>Wrapping integer arithmetic over <paramref name="atoms"/> and small constants, at most <paramref name="depth"/> deep.</summary>
    string Arithmetic(string[] atoms, int depth)
    {
        if (depth == 0 || hierarchies.Next(3) == 0)
            return hierarchies.Next(4) == 0 ? hierarchies.Next(-9, 10).ToString(System.Globalization.CultureInfo.InvariantCulture) : atoms[hierarchies.Next(atoms.Length)];
        string a = Arithmetic(atoms, depth - 1), b = Arithmetic(atoms, depth - 1);
        return hierarchies.Next(7) switch
        {
            0 => $"({a} + {b})",
            1 => $"({a} - {b})",
            2 => $"({a} * {b})",
            3 => $"({a} ^ {b})",
            4 => $"({a} & {b})",
            5 => $"({a} >> {hierarchies.Next(1, 5)})",
            _ => $"({a} > {b} ? {a} : {b})",
        };
    }

    /// <summary>
    /// A block that makes an instance of one class of the hierarchy (chosen by a generated value) and, now and then,
    /// an array of them, then adds to a new variable what its virtual calls, type tests and a cast give.
    /// </summary>
    Stmt HierarchyStatement()
    {
        string h = $"h{names++}", total = $"v{names++}";
        var body = new List<Stmt>
        {
            new($"HBase {h} = (({{0}}) & 3) switch {{{{ 0 => new HA({{1}}), 1 => new HB({{2}}), 2 => new HC({{1}}), _ => new HB({{1}}) }}}};",
                [Expression(Ty.Int, 2), Expression(Ty.Int, 2), Expression(Ty.Int, 2)]),
            new($"int {total} = unchecked({h}.F({{0}}) + {h}.G({{1}}) * 3 + {h}.Both({{0}}));", [Expression(Ty.Int, 2), Expression(Ty.Int, 2)]),
        };
        switch (hierarchies.Next(5))
        {
            case 0:
                body.Add(new Stmt($"if ({h} is HA a{h}) {total} = unchecked({total} + a{h}.A); else if ({h} is HC) {total} ^= 0x55;", []));
                break;
            case 1:
                body.Add(new Stmt($"{total} = unchecked({total} + {h} switch {{ HB b{h} => b{h}.B, HA a{h} => -a{h}.A, HC c{h} => c{h}.Seed * 2, _ => 7 }});", []));
                break;
            case 2:
                body.Add(new Stmt($"HA? as{h} = {h} as HA; if (as{h} != null) {total} = unchecked({total} * 31 + as{h}.F({total}));", []));
                break;
            case 3:
                body.Add(new Stmt($"{total} = unchecked({total} + ((HA){h}).A);", [])); // InvalidCastException for an HC
                break;
            default:
                body.Add(new Stmt($"HBase[] all{h} = [{h}, new HC({total}), new HB({{0}}), {h}];", [Expression(Ty.Int, 2)]));
                body.Add(new Stmt($"foreach (HBase e{h} in all{h}) {total} = unchecked({total} * 7 + e{h}.F({total} & 255) + (e{h} is HB ? 1 : 0));", []));
                break;
        }
        if (cycles.Next(3) == 0)
        {
            // A cycle through the base type: the instance links to a new one of another class that links back (or to itself).
            string other = $"l{h}";
            body.Add(cycles.Next(2) == 0
                ? new Stmt($"{h}.Link = {h};", [])
                : new Stmt($"HBase {other} = new HC({total}); {other}.Link = {h}; {h}.Link = {other};", []));
            body.Add(new Stmt($"{total} = unchecked({total} + {h}.Link!.Seed + {h}.Link.Link!.F(3));", []));
        }
        if (Mutables().FirstOrDefault(v => v.Type == Ty.Int) is { } result)
            body.Add(new Stmt($"{result.Name} = unchecked({result.Name} + {total});", []));
        return new Stmt("", [], body);
    }
}
