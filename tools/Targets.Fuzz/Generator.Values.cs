namespace Targets.Fuzz;

/// <summary>
/// Value types in generated programs: structs of numbers (now and then holding the struct made
/// before them, and in host programs a third of them an array their copies share) with a
/// constructor, an operator, a readonly member and a mutating one; enums of
/// every underlying type; and statements over them — struct locals, copies, mutating calls on
/// locals and array elements, struct arrays, struct parameters and returns (the <c>Mix</c>
/// helpers), tuples (deconstruction and swaps), nullables (<c>??</c>, <c>HasValue</c>, <c>Value</c>)
/// and enum switches. Every choice here is drawn from <see cref="values"/>, apart from the rest of
/// the generator, so a program without value types is the one its seed made before they existed.
/// Struct members never throw (unchecked arithmetic, no division), so they stay out of checked
/// blocks and Prange bodies only because their casts back into variables could.
/// </summary>
internal sealed partial class Generator
{
    /// <summary>A generated struct: its number fields, the struct it holds (if any), and whether it holds a <c>long[] data</c> its copies share (host programs only: device code holds no references).</summary>
    sealed record StructModel(string Name, List<(string Name, Ty Type)> Fields, StructModel? Inner, bool Counted);

    sealed record EnumModel(string Name, Ty Underlying, string[] Members);

    readonly Random values;
    readonly List<StructModel> structs = [];
    readonly List<EnumModel> enums = [];
    readonly List<string> valueTypeDeclarations = [];
    readonly List<List<(string Name, StructModel Model)>> structScopes = [];

    static readonly Ty[] FieldTypes = [Ty.SByte, Ty.Byte, Ty.Short, Ty.UShort, Ty.Int, Ty.UInt, Ty.Long, Ty.ULong, Ty.Float, Ty.Double];
    static readonly Ty[] Underlying = [Ty.SByte, Ty.Byte, Ty.Short, Ty.UShort, Ty.Int, Ty.UInt, Ty.Long, Ty.ULong];

    T Draw<T>(IReadOnlyList<T> items) => items[values.Next(items.Count)];

    /// <summary>Half the programs get one or two structs, and an enum now and then.</summary>
    void MakeValueTypes()
    {
        if (values.Next(2) != 0)
            return;
        for (int k = 0, count = values.Next(1, 3); k < count; k++)
            MakeStruct(k);
        if (values.Next(2) == 0)
            MakeEnum();
    }

    void MakeStruct(int index)
    {
        string name = $"S{index}";
        var fieldList = new List<(string, Ty)>();
        for (int f = 0, count = values.Next(1, 4); f < count; f++)
            fieldList.Add(($"f{f}", Draw(FieldTypes)));
        StructModel? inner = index > 0 && values.Next(2) == 0 ? structs[index - 1] : null;
        bool counted = !device && values.Next(3) == 0;
        var model = new StructModel(name, fieldList, inner, counted);
        structs.Add(model);

        // A counted struct's array is made by its constructor, shared by its copies and by the sum's
        // result (a + b takes a's, or b's when a's is null: a default struct has none), and written by
        // Bump, so copies see each other's writes as in .NET. Every member is null-safe.
        var text = new System.Text.StringBuilder();
        text.Append("public struct ").Append(name).Append("\n{\n");
        foreach ((string f, Ty t) in fieldList)
            text.Append($"    public {t.Name()} {f};\n");
        if (inner is not null)
            text.Append($"    public {inner.Name} inner;\n");
        if (counted)
            text.Append("    public long[] data;\n");
        string parameters = string.Join(", ", fieldList.Select(f => $"{f.Item2.Name()} {f.Item1}Value"));
        text.Append($"    public {name}({parameters})\n    {{\n");
        foreach ((string f, _) in fieldList)
            text.Append($"        {f} = {f}Value;\n");
        if (inner is not null)
            text.Append("        inner = default;\n");
        if (counted)
            text.Append($"        data = new long[2];\n        data[0] = (long){fieldList[0].Item1}Value;\n");
        text.Append("    }\n");
        string sums = string.Join(", ", fieldList.Select(f => $"({f.Item2.Name()})(a.{f.Item1} + b.{f.Item1})"));
        text.Append($"    public static {name} operator +({name} a, {name} b)\n    {{\n        var r = new {name}({sums});\n");
        if (inner is not null)
            text.Append("        r.inner = a.inner + b.inner;\n");
        if (counted)
            text.Append("        r.data = a.data ?? b.data;\n");
        text.Append("        return r;\n    }\n");
        string data = counted ? " + (data == null ? 0.0 : (double)(data[0] + data[1]))" : "";
        text.Append($"    public readonly double Sum() => {string.Join(" + ", fieldList.Select(f => $"(double){f.Item1}"))}{(inner is null ? "" : " + inner.Sum()")}{data};\n");
        (string first, Ty firstType) = fieldList[0];
        string bumpData = counted ? "        if (data != null)\n            data[1] = data[1] + k;\n" : "";
        text.Append($"    public void Bump(int k)\n    {{\n        {first} = ({firstType.Name()})({first} + ({firstType.Name()})k);\n{(inner is null ? "" : "        inner.Bump(k);\n")}{bumpData}    }}\n");
        text.Append("}\n");
        valueTypeDeclarations.Add(text.ToString());
    }

    void MakeEnum()
    {
        Ty underlying = Draw(Underlying);
        string[] members = ["A", "B", "C", "D"];
        var text = new System.Text.StringBuilder($"public enum E0 : {underlying.Name()}\n{{\n");
        for (int m = 0, value = 0; m < members.Length; m++, value += values.Next(1, 5))
            text.Append($"    {members[m]} = {value},\n");
        text.Append("}\n");
        enums.Add(new EnumModel("E0", underlying, members));
        valueTypeDeclarations.Add(text.ToString());
    }

    /// <summary>Per struct, <c>static S Mix(S a, S b, int k)</c>: structs as parameters (one mutated) and as a result.</summary>
    IEnumerable<MethodModel> StructHelpers() => structs.Select(s => new MethodModel($"static {s.Name} Mix{s.Name}({s.Name} a, {s.Name} b, int k)",
        [new Stmt("a.Bump(k);", []), new Stmt("return a + b;", [])]));

    /// <summary>Every number a struct variable holds, as (path, type): its fields and its inner struct's.</summary>
    static IEnumerable<(string Path, Ty Type)> FieldPaths(StructModel model, string path)
    {
        foreach ((string f, Ty t) in model.Fields)
            yield return ($"{path}.{f}", t);
        if (model.Inner is not null)
        {
            foreach (var inner in FieldPaths(model.Inner, $"{path}.inner"))
                yield return inner;
        }
    }

    /// <summary>A value of <paramref name="t"/> from what is in scope: a variable cast to it, or a literal.</summary>
    string Value(Ty t)
    {
        List<Var> numbers = scopes.SelectMany(s => s).Where(v => v.Type != Ty.Bool).ToList();
        if (numbers.Count == 0 || values.Next(4) == 0)
            return $"({t.Name()})({Types.RandomLiteral(values, t)})";
        return $"({t.Name()})({Draw(numbers).Name})";
    }

    string NewStruct(StructModel s) => $"new {s.Name}({string.Join(", ", s.Fields.Select(f => Value(f.Type)))})";

    List<(string Name, StructModel Model)> StructVariables() => structScopes.SelectMany(s => s).ToList();

    /// <summary>A statement that folds <paramref name="value"/> (of type double, or an integer) into a mutable number, or declares one.</summary>
    Stmt Fold(string value)
    {
        List<Var> sinks = Mutables().Where(v => v.Type != Ty.Bool).ToList();
        if (sinks.Count == 0)
        {
            string name = $"v{names++}";
            scopes[^1].Add(new Var(name, Ty.Double, Mutable: true));
            return new Stmt($"double {name} = (double)({value});", [], Declares: name);
        }
        Var sink = Draw(sinks);
        return new Stmt($"{sink.Name} = ({sink.Type.Name()})({sink.Name} + ({sink.Type.Name()})({value}));", []);
    }

    Stmt ValueStatement()
    {
        List<(string Name, StructModel Model)> locals = StructVariables();
        int choice = structs.Count == 0 ? 11 + values.Next(3) : values.Next(enums.Count > 0 ? 14 : 11);
        if (choice >= 11)
            return EnumStatement();
        if (locals.Count == 0 || choice == 0)
        {
            StructModel s = Draw(structs);
            string name = $"w{names++}";
            Stmt declared = new($"{s.Name} {name} = {NewStruct(s)};", [], Declares: name);
            structScopes[^1].Add((name, s));
            return declared;
        }
        (string w, StructModel model) = Draw(locals);
        List<(string Name, StructModel Model)> same = locals.Where(l => l.Model == model).ToList();
        (string path, Ty type) = Draw(FieldPaths(model, w).ToList());
        switch (choice)
        {
            case 1:
                return new Stmt($"{w} = {w} + {Draw(same).Name};", []);
            case 2:
                return new Stmt($"{w}.Bump({Value(Ty.Int)});", []);
            case 3 when model.Counted && values.Next(3) == 0:
                return new Stmt($"{w} = default;", []); // drops its reference to the array
            case 3:
                return new Stmt($"{path} = {Value(type)};", []);
            case 4:
                return Fold($"{w}.Sum()");
            case 5:
                return Fold(path);
            case 6:
                return new Stmt($"{w} = Mix{model.Name}({Draw(same).Name}, {NewStruct(model)}, {Value(Ty.Int)});", []);
            case 7 when !device && hasArrays:
                {
                    // A struct array: an element written whole, mutated in place, and read back.
                    string array = $"wa{names++}", at = $"(({Value(Ty.Int)}) & 3)";
                    return new Stmt("", [], [
                        new Stmt($"{model.Name}[] {array} = new {model.Name}[4];", []),
                        new Stmt($"{array}[{at}] = {w};", []),
                        new Stmt($"{array}[{at}].Bump({Value(Ty.Int)});", []),
                        Fold($"{array}[{at}].Sum() + {array}[1].Sum()"),
                    ]);
                }
            case 8:
                {
                    // A tuple: two values deconstructed into new variables.
                    Ty a = Draw(FieldTypes), b = Draw(FieldTypes);
                    string first = $"v{names++}", second = $"v{names++}";
                    Stmt made = new($"({a.Name()} {first}, {b.Name()} {second}) = ({Value(a)}, {Value(b)});", []);
                    scopes[^1].Add(new Var(first, a, Mutable: true));
                    scopes[^1].Add(new Var(second, b, Mutable: true));
                    return made;
                }
            case 9:
                {
                    // A tuple swap of two variables of one type.
                    var pairs = Mutables().Where(v => v.Type != Ty.Bool).GroupBy(v => v.Type).Where(g => g.Count() >= 2).ToList();
                    if (pairs.Count == 0)
                        return Fold($"{w}.Sum()");
                    List<Var> group = [.. Draw(pairs)];
                    Var x = group[values.Next(group.Count)], y = group[values.Next(group.Count)];
                    return new Stmt($"({x.Name}, {y.Name}) = ({y.Name}, {x.Name});", []);
                }
            default:
                {
                    // A nullable: empty or not by a variable's parity, then ??, HasValue and Value.
                    Ty t = Draw(FieldTypes);
                    string n = $"n{names++}";
                    return new Stmt("", [], [
                        new Stmt($"{t.Name()}? {n} = (({Value(Ty.Int)}) & 1) == 0 ? {Value(t)} : null;", []),
                        Fold($"{n} ?? {Value(t)}"),
                        new Stmt($"if ({n}.HasValue)", [], [Fold($"{n}.Value")]),
                    ]);
                }
        }
    }

    /// <summary>An enum from an integer, switched on and compared.</summary>
    Stmt EnumStatement()
    {
        EnumModel e = enums[0];
        string name = $"e{names++}";
        string cases = string.Concat(e.Members.Take(3).Select((m, k) => $" case {e.Name}.{m}: {name}Score = {k + 1}; break;"));
        return new Stmt("", [], [
            new Stmt($"{e.Name} {name} = ({e.Name})({Value(e.Underlying)});", []),
            new Stmt($"int {name}Score = 0;", []),
            new Stmt($"switch ({name}) {{{cases} default: {name}Score = -1; break; }}", []),
            Fold($"{name}Score + ({name} > {e.Name}.{e.Members[1]} ? 10 : 0) + (long)(({e.Underlying.Name()}){name} & 7)"),
        ]);
    }
}
