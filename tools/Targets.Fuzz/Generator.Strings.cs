namespace Targets.Fuzz;

/// <summary>
/// Strings, read-only, written into the program's int arrays: literals' lengths, indexers (past the end now and
/// then, which raises), ordinal searches and comparisons, spans over a literal from a start that may lie outside, a
/// string chosen by a switch and tested, <c>char</c>'s classification of a computed character, and a throw whose
/// interpolated message the host builds from values. Every choice to make one is drawn from <see cref="strings"/>,
/// apart from the rest of the generator, so a program without strings is the one its seed made before they existed.
/// </summary>
internal sealed partial class Generator
{
    readonly Random strings;

    /// <summary>Half the programs have string statements.</summary>
    readonly bool withStrings;

    bool StringStatementDue => withStrings && hasArrays && !safe && !device && strings.Next(12) == 0;

    /// <summary>The literals, as C# source: empty, prefixes of each other, a repeat, past Latin-1, a '\0' inside.</summary>
    static readonly string[] Literals = ["\"\"", "\"a\"", "\"ab\"", "\"abc\"", "\"abcabc\"", "\"xyz\"", "\"h\\u00e9llo\"", "\"a\\0b\""];

    string Literal() => Literals[strings.Next(Literals.Length)];

    Stmt StringStatement()
    {
        (string array, int length) = intArrays[strings.Next(intArrays.Count)];
        string text = Literal(), other = Literal();
        Expr Small(int mask) => Make(Ty.Int, $"(({{0}}) & {mask})", Expression(Ty.Int, 2));
        char wanted = (char)('a' + strings.Next(4));
        int form = strings.Next(7);
        int m = names;
        if (form == 6)
            names += 3;
        return form switch
        {
            0 => new Stmt($"{array}[{{0}}] = {text}.Length * 10 + {text}.IndexOf('{wanted}') + {text}.LastIndexOf('{wanted}');", [Index(length)]),
            1 => new Stmt($"{array}[{{0}}] += {text}[{{1}}];", [Index(length), Small(7)]),
            2 => new Stmt($"{array}[{{0}}] = string.CompareOrdinal({text}, {other}) + ({text} == {other} ? 1000 : 0) + ({text}.Contains({other}) ? 100 : 0);", [Index(length)]),
            3 => new Stmt($"{array}[{{0}}] = {text}.AsSpan({{1}}).IndexOf('{wanted}') + ({text}.AsSpan({{1}}).StartsWith({other}) ? 50 : 0);", [Index(length), Small(7)]),
            4 => new Stmt($"{{{{ string w{names++} = ({{1}}) switch {{{{ 0 => {text}, 1 => {other}, _ => \"b\" }}}}; {array}[{{0}}] = w{names - 1}.Length * 10 + (w{names - 1}.StartsWith({Literal()}, StringComparison.Ordinal) ? 1 : 0); }}}}",
                [Index(length), Small(3)]),
            5 => new Stmt($"{{{{ int c{names++} = {{1}}; {array}[{{0}}] = char.IsLetter((char)c{names - 1}) ? 1 : char.IsWhiteSpace((char)c{names - 1}) ? 2 : char.ToUpperInvariant((char)c{names - 1}); }}}}",
                [Index(length), Small(0xFFFF)]),
            // A message of three holes (an alignment and a format, a bool), built on the host when compiled code raises; the
            // holes are variables (a hole computed with branches is refused: see IlImporter.Messages).
            _ => new Stmt($"{{{{ int m{m} = {{1}}; long m{m + 1} = {{2}}; bool m{m + 2} = ({{3}}) > 1; "
                + $"if (({{0}}) == {strings.Next(4)}) throw new InvalidOperationException($\"value {{{{m{m}}}}} of {{{{m{m + 1},6:X}}}} {{{{m{m + 2}}}}}\"); }}}}",
                [Small(3), Expression(Ty.Int, 2), Expression(Ty.Long, 2), Expression(Ty.Int, 2)]),
        };
    }
}
