namespace Targets.Fuzz;

/// <summary>
/// Collections over the program's int arrays, each statement a block of its own whose result lands in an array
/// element: a list filled from an array and thinned while walked backwards (RemoveAt), then Insert, IndexOf and ^1; a
/// dictionary counting values (GetValueOrDefault, Remove, foreach with deconstruction, TryGetValue); a set thinned
/// during its own foreach (allowed: removing leaves the version); a queue feeding a stack (TryPop, Peek); a dictionary
/// of lists (nested containers); a list grown by index while walked (a for loop is not versioned), sorted, reversed and
/// thinned by value; the program's instances as elements, set members and keys (by identity); a list of arrays and a
/// jagged array sharing its rows; and what raises as .NET raises: an index outside a list, a missing key, a list changed
/// during foreach, an empty queue. Every choice is drawn from <see cref="collections"/>, apart from the rest of the
/// generator, so a program without collections is the one its seed made before they existed.
/// </summary>
internal sealed partial class Generator
{
    const string Generic = "System.Collections.Generic.";

    readonly Random collections;

    /// <summary>Two programs in five have collection statements.</summary>
    readonly bool withCollections;

    bool CollectionStatementDue => withCollections && hasArrays && !safe && !device && collections.Next(16) == 0;

    /// <summary>
    /// An operand of a statement that should not raise: shallow, since every nested checked operation, division and raw
    /// index is one more way to end the run early (the CI budget checks that a fifth of runs return).
    /// </summary>
    Expr Operand() => Expression(Ty.Int, 1);

    /// <summary>An element of an array of <paramref name="length"/> (a power of two) chosen by a shallow operand.</summary>
    Expr Slot(int length) => Make(Ty.Int, $"(({{0}}) & {length - 1})", Operand());

    /// <summary>
    /// Instances the program made, as elements, set members and keys (by identity): two of one class, chosen by the
    /// array's values, put in a list, a set and a dictionary counting them; the list's first taken out.
    /// </summary>
    Stmt InstanceElements(List<Obj> objects, string array, int length, int n)
    {
        Obj a = objects[collections.Next(objects.Count)];
        List<Obj> same = objects.Where(o => o.Class == a.Class).ToList();
        Obj b = same[collections.Next(same.Count)];
        string type = a.Class.Name;
        return new Stmt($"{{{{ var l{n} = new {Generic}List<{type}>(); foreach (int v{n} in {array}) l{n}.Add((v{n} & 1) == 0 ? {a.Name} : {b.Name}); "
            + $"var s{n} = new {Generic}HashSet<{type}>(); var d{n} = new {Generic}Dictionary<{type}, int>(); "
            + $"foreach ({type} o{n} in l{n}) {{{{ s{n}.Add(o{n}); d{n}[o{n}] = {Generic}CollectionExtensions.GetValueOrDefault(d{n}, o{n}) + 1; }}}} if (l{n}.Count > 0) l{n}.RemoveAt(0); "
            + $"{array}[{{0}}] = l{n}.Count * 100 + s{n}.Count * 10 + (d{n}.TryGetValue({a.Name}, out int c{n}) ? c{n} : 0); }}}}",
            [Slot(length)]);
    }

    Stmt CollectionStatement()
    {
        (string array, int length) = intArrays[collections.Next(intArrays.Count)];
        int n = names++;
        int mask = (1 << collections.Next(1, 5)) - 1; // keys 0..1 up to 0..15: collisions and repeats
        // The raising forms one time in sixteen: most runs of a program must still return (the CI budget checks a fifth do).
        int form = collections.Next(16) is var drawn && drawn == 15 ? 8 : drawn % 8;
        List<Obj> objects = objectScopes.SelectMany(o => o).ToList();
        if (form == 6 && objects.Count == 0)
            form = 7;
        return form switch
        {
            0 => new Stmt($"{{{{ var l{n} = new {Generic}List<int>({array}); for (int i{n} = l{n}.Count - 1; i{n} >= 0; i{n}--) {{{{ if ((l{n}[i{n}] & {mask}) == 0) l{n}.RemoveAt(i{n}); }}}} "
                + $"l{n}.Insert(({{0}}) & l{n}.Count, {{1}}); {array}[{{2}}] = l{n}.Count * 7 + l{n}[^1] + l{n}.IndexOf({{1}}); }}}}",
                [Operand(), Operand(), Slot(length)]),
            1 => new Stmt($"{{{{ var d{n} = new {Generic}Dictionary<int, int>(); foreach (int v{n} in {array}) d{n}[v{n} & {mask}] = {Generic}CollectionExtensions.GetValueOrDefault(d{n}, v{n} & {mask}) + 1; "
                + $"d{n}.Remove(({{0}}) & {mask}); int t{n} = d{n}.Count; foreach (var (k{n}, c{n}) in d{n}) t{n} = unchecked(t{n} * 31 + k{n} * 7 + c{n}); "
                + $"{array}[{{1}}] = (t{n} & 1023) + (d{n}.TryGetValue({{2}}, out int f{n}) ? f{n} : -1); }}}}",
                [Operand(), Slot(length), Operand()]),
            2 => new Stmt($"{{{{ var s{n} = new {Generic}HashSet<int>({array}); foreach (int v{n} in s{n}) {{{{ if ((v{n} & {mask}) == 1) s{n}.Remove(v{n}); }}}} "
                + $"s{n}.Add({{0}}); int t{n} = s{n}.Count; foreach (int v{n} in s{n}) t{n} = unchecked(t{n} * 3 + v{n}); {array}[{{1}}] = (t{n} & 1023) + (s{n}.Contains({{2}}) ? 1 : 0); }}}}",
                [Operand(), Slot(length), Operand()]),
            3 => new Stmt($"{{{{ var q{n} = new {Generic}Queue<int>(); var p{n} = new {Generic}Stack<int>(); foreach (int v{n} in {array}) {{{{ q{n}.Enqueue(v{n}); if ((v{n} & {mask}) != 0) p{n}.Push(q{n}.Dequeue()); }}}} "
                + $"int t{n} = q{n}.Count; while (p{n}.TryPop(out int o{n})) t{n} = unchecked(t{n} * 5 + o{n}); {array}[{{0}}] = (t{n} & 1023) + (q{n}.Count > 0 ? q{n}.Peek() : {{1}}); }}}}",
                [Slot(length), Operand()]),
            4 => new Stmt($"{{{{ var g{n} = new {Generic}Dictionary<int, {Generic}List<int>>(); foreach (int v{n} in {array}) {{{{ if (!g{n}.TryGetValue(v{n} & {mask}, out var l{n})) {{{{ l{n} = new {Generic}List<int>(); g{n}.Add(v{n} & {mask}, l{n}); }}}} l{n}.Add(v{n}); }}}} "
                + $"int t{n} = g{n}.Count; foreach (var (k{n}, l{n}) in g{n}) t{n} = unchecked(t{n} * 7 + k{n} + l{n}.Count + l{n}[^1]); {array}[{{0}}] = t{n} & 1023; }}}}",
                [Slot(length)]),
            5 => new Stmt($"{{{{ var l{n} = new {Generic}List<int>({array}); int e{n} = l{n}.Count; for (int i{n} = 0; i{n} < e{n}; i{n}++) {{{{ if ((l{n}[i{n}] & {mask}) == 0) l{n}.Add(l{n}[i{n}] >> 1); }}}} "
                + $"l{n}.Sort(); l{n}.Reverse(); {array}[{{0}}] = l{n}.Count * 3 + (l{n}.Remove({{1}}) ? 1 : 0) + (l{n}.Count > 0 ? l{n}[0] : 0); }}}}",
                [Slot(length), Operand()]),
            6 => InstanceElements(objects, array, length, n),
            7 => new Stmt($"{{{{ var r{n} = new {Generic}List<int[]>(); foreach (int v{n} in {array}) r{n}.Add(new int[(v{n} & {mask}) + 1]); var g{n} = new int[r{n}.Count + 1][]; "
                + $"for (int i{n} = 0; i{n} < r{n}.Count; i{n}++) {{{{ g{n}[i{n} + 1] = r{n}[i{n}]; g{n}[i{n} + 1][0] = i{n}; }}}} if (r{n}.Count > 1) r{n}.RemoveAt(1); "
                + $"int t{n} = r{n}.Count; foreach (int[] w{n} in g{n}) t{n} = unchecked(t{n} * 3 + (w{n} is null ? 7 : w{n}.Length + w{n}[0])); {array}[{{0}}] = t{n} & 1023; }}}}",
                [Slot(length)]),
            _ => collections.Next(4) switch
            {
                0 => new Stmt($"{array}[{{0}}] = new {Generic}List<int>({array})[{{1}}];", [Index(length), Expression(Ty.Int, 2)]),
                1 => new Stmt($"{{{{ var d{n} = new {Generic}Dictionary<int, int> {{{{ [{{0}}] = 1, [{{1}}] = 2 }}}}; {array}[{{2}}] = d{n}[{{3}}]; }}}}",
                    [Expression(Ty.Int, 1), Expression(Ty.Int, 1), Index(length), Expression(Ty.Int, 1)]),
                2 => new Stmt($"{{{{ var q{n} = new {Generic}Queue<int>({array}); for (int i{n} = 0; i{n} < (({{0}}) & {2 * length - 1}); i{n}++) q{n}.Dequeue(); {array}[{{1}}] = q{n}.Count; }}}}",
                    [Expression(Ty.Int, 2), Index(length)]),
                _ => new Stmt($"{{{{ var l{n} = new {Generic}List<int>({array}); foreach (int v{n} in l{n}) {{{{ if (v{n} == ({{0}})) l{n}.Add(v{n}); }}}} {array}[{{1}}] = l{n}.Count; }}}}",
                    [Expression(Ty.Int, 2), Index(length)]),
            },
        };
    }
}
