using System.Globalization;

namespace Targets.Fuzz;

/// <summary>The value types generated code computes with.</summary>
internal enum Ty { Bool, SByte, Byte, Short, UShort, Int, UInt, Long, ULong, Float, Double }

internal static class Types
{
    public static readonly Ty[] Numeric = [Ty.SByte, Ty.Byte, Ty.Short, Ty.UShort, Ty.Int, Ty.UInt, Ty.Long, Ty.ULong, Ty.Float, Ty.Double];

    /// <summary>The types binary arithmetic is done in (C#'s promoted types).</summary>
    public static readonly Ty[] Arithmetic = [Ty.Int, Ty.UInt, Ty.Long, Ty.ULong, Ty.Float, Ty.Double];

    public static readonly Ty[] Integral32Up = [Ty.Int, Ty.UInt, Ty.Long, Ty.ULong];

    public static string Name(this Ty t) => t switch
    {
        Ty.Bool => "bool", Ty.SByte => "sbyte", Ty.Byte => "byte", Ty.Short => "short", Ty.UShort => "ushort",
        Ty.Int => "int", Ty.UInt => "uint", Ty.Long => "long", Ty.ULong => "ulong", Ty.Float => "float", _ => "double",
    };

    public static bool IsFloat(this Ty t) => t is Ty.Float or Ty.Double;

    public static bool IsIntegral(this Ty t) => t is not (Ty.Bool or Ty.Float or Ty.Double);

    /// <summary>Literals of each type at its edges (the values compilers get wrong), as C# writes them.</summary>
    public static string[] Edges(Ty t) => t switch
    {
        Ty.Bool => ["true", "false"],
        Ty.SByte => ["(sbyte)0", "(sbyte)1", "(sbyte)(-1)", "sbyte.MinValue", "sbyte.MaxValue"],
        Ty.Byte => ["(byte)0", "(byte)1", "byte.MaxValue", "(byte)128"],
        Ty.Short => ["(short)0", "(short)1", "(short)(-1)", "short.MinValue", "short.MaxValue"],
        Ty.UShort => ["(ushort)0", "(ushort)1", "ushort.MaxValue", "(ushort)32768"],
        Ty.Int => ["0", "1", "-1", "7", "int.MinValue", "int.MaxValue", "31", "32", "33", "-8"],
        Ty.UInt => ["0U", "1U", "uint.MaxValue", "2147483648U", "31U"],
        Ty.Long => ["0L", "1L", "-1L", "long.MinValue", "long.MaxValue", "63L", "64L", "4294967296L"],
        Ty.ULong => ["0UL", "1UL", "ulong.MaxValue", "9223372036854775808UL"],
        Ty.Float => ["0f", "-0f", "1f", "-1.5f", "float.NaN", "float.PositiveInfinity", "float.NegativeInfinity", "float.MaxValue", "float.Epsilon", "3e9f", "-3e9f", "0.5f", "2.5f"],
        _ => ["0.0", "-0.0", "1.0", "-1.5", "double.NaN", "double.PositiveInfinity", "double.NegativeInfinity", "double.MaxValue", "double.Epsilon", "1e19", "-1e19", "9.3e18", "0.5", "2.5", "-2.5", "4294967296.5"],
    };

    /// <summary>A random literal of <paramref name="t"/>: an edge value or a small or wide random one.</summary>
    public static string RandomLiteral(Random random, Ty t)
    {
        if (random.Next(3) == 0)
            return Edges(t)[random.Next(Edges(t).Length)];
        long small = random.Next(-100, 101), wide = random.NextInt64();
        bool useWide = random.Next(4) == 0;
        return t switch
        {
            Ty.Bool => random.Next(2) == 0 ? "true" : "false",
            Ty.SByte => $"(sbyte)({(sbyte)small})",
            Ty.Byte => $"(byte){(byte)small}",
            Ty.Short => $"(short)({(short)(useWide ? wide : small)})",
            Ty.UShort => $"(ushort){(ushort)(useWide ? wide : small)}",
            Ty.Int => ((int)(useWide ? wide : small)).ToString(CultureInfo.InvariantCulture),
            Ty.UInt => ((uint)(useWide ? wide : small)).ToString(CultureInfo.InvariantCulture) + "U",
            Ty.Long => (useWide ? wide : small).ToString(CultureInfo.InvariantCulture) + "L",
            Ty.ULong => ((ulong)(useWide ? wide : small)).ToString(CultureInfo.InvariantCulture) + "UL",
            Ty.Float => (useWide ? (float)(random.NextDouble() * 1e10 - 5e9) : small / 4f).ToString("R", CultureInfo.InvariantCulture) + "f",
            _ => (useWide ? random.NextDouble() * 1e20 - 5e19 : small / 8.0).ToString("R", CultureInfo.InvariantCulture) is var d && (d.Contains('.') || d.Contains('E')) ? d : d + ".0",
        };
    }
}

/// <summary>
/// An expression: a C# format with <c>{0}</c>, <c>{1}</c>… for its operands. Leaves have none.
/// <see cref="Constant"/>: made of literals only (C# would fold it, and reject it where it overflows).
/// </summary>
internal sealed record Expr(Ty Type, string Format, Expr[] Args, bool Constant = false)
{
    public static Expr Leaf(Ty type, string text, bool constant = false) => new(type, text, [], constant);

    public string Render() => Args.Length == 0 ? Format : string.Format(CultureInfo.InvariantCulture, Format, Args.Select(a => (object)a.Render()).ToArray());

    public int Size => 1 + Args.Sum(a => a.Size);
}

/// <summary>
/// A statement: a header line (a format over <see cref="Exprs"/>), then optionally a block, a second
/// block under <see cref="ElseHeader"/> (<c>else</c>; a try's <c>catch (…)</c> or <c>finally</c>) and a
/// trailer line (<c>while (…);</c> of a do loop). <see cref="Declares"/>: the variable it introduces, if any.
/// </summary>
internal sealed record Stmt(string Header, Expr[] Exprs, List<Stmt>? Body = null, List<Stmt>? Else = null, string? Trailer = null, string? Declares = null,
    string ElseHeader = "else")
{
    /// <summary>What keeps the program terminating (a recursion's base case, a while loop's step): the reducer never removes it.</summary>
    public bool Keep { get; init; }

    public void Render(System.Text.StringBuilder text, int indent)
    {
        string pad = new(' ', indent * 4);
        string header = Exprs.Length == 0 ? Header : string.Format(CultureInfo.InvariantCulture, Header, Exprs.Select(e => (object)e.Render()).ToArray());
        text.Append(pad).Append(header).Append('\n');
        if (Body is null)
            return;
        RenderBlock(text, Body, indent);
        if (Else is not null)
        {
            text.Append(pad).Append(ElseHeader).Append('\n');
            RenderBlock(text, Else, indent);
        }
        if (Trailer is not null)
            text.Append(pad).Append(Trailer).Append('\n');
    }

    public static void RenderBlock(System.Text.StringBuilder text, List<Stmt> block, int indent)
    {
        string pad = new(' ', indent * 4);
        text.Append(pad).Append("{\n");
        foreach (Stmt s in block)
            s.Render(text, indent + 1);
        text.Append(pad).Append("}\n");
    }

    public int Size => 1 + Exprs.Sum(e => e.Size) + (Body?.Sum(s => s.Size) ?? 0) + (Else?.Sum(s => s.Size) ?? 0);
}

/// <summary>A method: its signature line and body.</summary>
internal sealed record MethodModel(string Signature, List<Stmt> Body);

/// <summary>A jit class: field declarations, constructor and methods.</summary>
internal sealed record ClassModel(string Name, List<string> Fields, MethodModel Constructor, List<MethodModel> Methods);

/// <summary>A generated program: structs and enums, jit classes, helper methods and the entry <c>Run</c>, with the inputs to run it on.</summary>
internal sealed record ProgramModel(int Seed, List<ClassModel> Classes, List<MethodModel> Helpers, MethodModel Entry, List<object?[]> Inputs)
{
    public const string Namespace = "Fuzzed";
    public const string Holder = "Program";

    /// <summary>The structs and enums the program declares, as C# (rendered before the classes).</summary>
    public List<string> ValueTypes { get; init; } = [];

    public string Render()
    {
        var text = new System.Text.StringBuilder();
        text.Append("using System;\nusing Targets;\n\nnamespace ").Append(Namespace).Append(";\n\n");
        text.Append("#pragma warning disable CS0162, CS0164, CS0219, CS1717, CS0652, CS8602, CS8618, CS8625, CS8600, CS8601, CS8604\n");
        foreach (string type in ValueTypes)
            text.Append(type).Append('\n');
        foreach (ClassModel c in Classes)
        {
            text.Append("[JitClass]\npublic sealed class ").Append(c.Name).Append("\n{\n");
            foreach (string field in c.Fields)
                text.Append("    ").Append(field).Append('\n');
            RenderMethod(text, c.Constructor);
            foreach (MethodModel m in c.Methods)
                RenderMethod(text, m);
            text.Append("}\n\n");
        }
        text.Append("public static class ").Append(Holder).Append("\n{\n");
        foreach (MethodModel m in Helpers)
            RenderMethod(text, m);
        RenderMethod(text, Entry);
        text.Append("}\n");
        return text.ToString();
    }

    /// <summary>
    /// Every generated method runs unoptimised on .NET: optimised RyuJIT reorders some exceptions
    /// against the IL (the fuzzer found a loop-invariant checked conversion thrown before an earlier
    /// array access's bounds check), and the oracle is the IL's meaning, which tier-0 code keeps.
    /// The attribute changes nothing in the IL the targets compile.
    /// </summary>
    const string Unoptimised = "[System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoOptimization)]";

    static void RenderMethod(System.Text.StringBuilder text, MethodModel m)
    {
        text.Append("    ").Append(Unoptimised).Append('\n');
        text.Append("    ").Append(m.Signature).Append('\n');
        Stmt.RenderBlock(text, m.Body, 1);
    }

    public int Size => Classes.Sum(c => c.Constructor.Body.Sum(s => s.Size) + c.Methods.Sum(m => m.Body.Sum(s => s.Size))) + Helpers.Sum(h => h.Body.Sum(s => s.Size)) + Entry.Body.Sum(s => s.Size);
}
