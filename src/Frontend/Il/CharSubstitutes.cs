using System.Reflection;

namespace Targets.Frontend.Il;

/// <summary>
/// <see cref="char"/>'s classification and invariant case mapping, which .NET answers from its Unicode data (its IL
/// past Latin-1 leaves the subset): each a lookup in a table .NET's own <c>char</c> members fill for every UTF-16 code
/// unit when the table is first used, so compiled code answers exactly what .NET answers. The tables are
/// <c>static readonly</c> arrays, which compiled code reads in place (as a user's static readonly array; refused on
/// cuda, whose device cannot see them). A method is named <c>Char_Member</c> and takes what the member takes.
/// </summary>
internal static class CharSubstitutes
{
    [Flags]
    enum Class : ushort
    {
        Digit = 1, Letter = 2, WhiteSpace = 4, Upper = 8, Lower = 16, Punctuation = 32, Separator = 64, Symbol = 128,
        Control = 256, Number = 512,
    }

    static readonly ushort[] Classes = Build(c => (ushort)(
        (char.IsDigit(c) ? Class.Digit : 0) | (char.IsLetter(c) ? Class.Letter : 0) | (char.IsWhiteSpace(c) ? Class.WhiteSpace : 0)
        | (char.IsUpper(c) ? Class.Upper : 0) | (char.IsLower(c) ? Class.Lower : 0) | (char.IsPunctuation(c) ? Class.Punctuation : 0)
        | (char.IsSeparator(c) ? Class.Separator : 0) | (char.IsSymbol(c) ? Class.Symbol : 0) | (char.IsControl(c) ? Class.Control : 0)
        | (char.IsNumber(c) ? Class.Number : 0)));

    static readonly char[] Uppers = Build(char.ToUpperInvariant);

    static readonly char[] Lowers = Build(char.ToLowerInvariant);

    static T[] Build<T>(Func<char, T> of)
    {
        var table = new T[char.MaxValue + 1];
        for (int c = 0; c <= char.MaxValue; c++)
            table[c] = of((char)c);
        return table;
    }

    /// <summary>The substitute for <paramref name="member"/> of <see cref="char"/>, or null (the member then compiles from its IL, or is refused).</summary>
    public static MethodInfo? For(MethodBase member) =>
        member.IsStatic ? typeof(CharSubstitutes).GetMethod($"Char_{member.Name}", BindingFlags.Static | BindingFlags.NonPublic, [.. member.GetParameters().Select(p => p.ParameterType)]) : null;

    static bool Is(char c, Class wanted) => (Classes[c] & (ushort)wanted) != 0;

    static bool Char_IsDigit(char c) => Is(c, Class.Digit);

    static bool Char_IsLetter(char c) => Is(c, Class.Letter);

    static bool Char_IsLetterOrDigit(char c) => Is(c, Class.Letter | Class.Digit);

    static bool Char_IsWhiteSpace(char c) => Is(c, Class.WhiteSpace);

    static bool Char_IsUpper(char c) => Is(c, Class.Upper);

    static bool Char_IsLower(char c) => Is(c, Class.Lower);

    static bool Char_IsPunctuation(char c) => Is(c, Class.Punctuation);

    static bool Char_IsSeparator(char c) => Is(c, Class.Separator);

    static bool Char_IsSymbol(char c) => Is(c, Class.Symbol);

    static bool Char_IsControl(char c) => Is(c, Class.Control);

    static bool Char_IsNumber(char c) => Is(c, Class.Number);

    static char Char_ToUpperInvariant(char c) => Uppers[c];

    static char Char_ToLowerInvariant(char c) => Lowers[c];
}
