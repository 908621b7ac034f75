using System;

namespace Corpus;

// Strings, read-only: string parameters (null included) and literals, Length, the indexer (IndexOutOfRangeException,
// NullReferenceException), foreach over chars, ==, !=, Equals (instance, static, with StringComparison.Ordinal),
// CompareOrdinal and Compare(…, Ordinal) with .NET's values (a difference of characters that reads the terminating
// '\0'), StartsWith/EndsWith/Contains/IndexOf/LastIndexOf with ordinal semantics and .NET's exceptions, IsNullOrEmpty,
// ToCharArray, string.Empty, static readonly strings, char's classification and invariant case mapping (from tables
// .NET fills; every UTF-16 code unit is checked), switch on strings (a hash Roslyn computes over the characters for
// many cases), spans over a string's characters (AsSpan with .NET's checks, the conversion), strings returned as the
// object .NET passed in, or as the literal's interned object. The harness checks a returned string is .NET's own object
// wherever .NET's is an argument or a literal.
public static class Strings
{
    static readonly string Greeting = "hello";

    public static int CountOf(string s, char c)
    {
        int n = 0;
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == c)
                n++;
        }
        return n;
    }

    public static int SumOfChars(string s)
    {
        int t = 0;
        foreach (char c in s)
            t = t * 31 + c;
        return t;
    }

    public static char CharAt(string s, int i) => s[i];

    public static int LastChar(string s) => s.Length == 0 ? -1 : s[^1];

    public static int Equality(string a, string b) => (a == b ? 1 : 0) + (a != b ? 2 : 0) + (string.Equals(a, b) ? 4 : 0) + (string.Equals(a, b, StringComparison.Ordinal) ? 8 : 0);

    public static bool InstanceEquals(string a, string b) => a.Equals(b);

    public static bool InstanceEqualsOrdinal(string a, string b) => a.Equals(b, StringComparison.Ordinal);

    public static int EqualsLiteral(string a) => a == "abc" ? 1 : a == "" ? 2 : a is null ? 3 : 0;

    public static int CompareOrdinal(string a, string b) => string.CompareOrdinal(a, b);

    public static int CompareWithOrdinal(string a, string b) => string.Compare(a, b, StringComparison.Ordinal);

    public static int Affixes(string a, string b) => (a.StartsWith(b, StringComparison.Ordinal) ? 1 : 0) + (a.EndsWith(b, StringComparison.Ordinal) ? 2 : 0);

    public static int CharAffixes(string a, char c) => (a.StartsWith(c) ? 1 : 0) + (a.EndsWith(c) ? 2 : 0) + (a.Contains(c) ? 4 : 0);

    public static bool ContainsString(string a, string b) => a.Contains(b);

    public static int IndexOfString(string a, string b) => a.IndexOf(b, StringComparison.Ordinal);

    public static int IndexOfChar(string a, char c) => a.IndexOf(c) * 1000 + a.LastIndexOf(c);

    public static int IndexOfCharFrom(string a, char c, int start) => a.IndexOf(c, start);

    public static int IndexOfCharIn(string a, char c, int start, int count) => a.IndexOf(c, start, count);

    public static int NullOrEmpty(string a) => (string.IsNullOrEmpty(a) ? 1 : 0) + (string.IsNullOrWhiteSpace(a) ? 2 : 0);

    public static int Separators(string a, string b) =>
        a.AsSpan().IndexOfAny(' ', '\t') * 10000 + a.AsSpan().IndexOfAny('b', 'c', '\u00e9') * 100 + a.AsSpan().IndexOfAny(b);

    public static int[] CharCodes(string a)
    {
        char[] chars = a.ToCharArray();
        int[] codes = new int[chars.Length];
        for (int i = 0; i < chars.Length; i++)
            codes[i] = chars[i];
        return codes;
    }

    public static string Same(string a) => a;

    public static string Choose(string a, string b, int which) => which > 0 ? a : which < 0 ? b : "neither";

    public static string Literal(int which) => which switch { 0 => "zero", 1 => "", 2 => string.Empty, 3 => Greeting, _ => "other" };

    public static int Keyword(string a) => a switch
    {
        "abc" => 1,
        "ab" => 2,
        "bc" => 3,
        "xyz" => 4,
        "" => 5,
        "a" => 6,
        "hello" => 7,
        "ba" => 8,
        _ => 0,
    };

    public static int FewKeywords(string a) => a switch { "abc" => 1, "a" => 2, _ => 0 };

    public static int SpanFrom(string a, int start)
    {
        int t = 0;
        foreach (char c in a.AsSpan(start))
            t += c;
        return t;
    }

    public static int SpanPart(string a, int start, int length) => a.AsSpan(start, length).IndexOf('b');

    public static int SpanWhole(string a)
    {
        ReadOnlySpan<char> s = a;
        return s.Length * 100 + s.LastIndexOf('c') + (s.SequenceEqual("abc") ? 50 : 0);
    }

    public static int ParseDigits(string a)
    {
        int v = 0;
        foreach (char c in a)
        {
            if (c < '0' || c > '9')
                throw new FormatException("not a digit");
            v = checked(v * 10 + (c - '0'));
        }
        return v;
    }

    public static int WordCount(string a)
    {
        int words = 0;
        bool inWord = false;
        for (int i = 0; i < a.Length; i++)
        {
            bool letter = a[i] != ' ' && a[i] != '\t';
            if (letter && !inWord)
                words++;
            inWord = letter;
        }
        return words;
    }

    public static int CharClasses(char c) =>
        (char.IsDigit(c) ? 1 : 0) | (char.IsLetter(c) ? 2 : 0) | (char.IsWhiteSpace(c) ? 4 : 0) | (char.IsUpper(c) ? 8 : 0) | (char.IsLower(c) ? 16 : 0)
        | (char.IsPunctuation(c) ? 32 : 0) | (char.IsSeparator(c) ? 64 : 0) | (char.IsSymbol(c) ? 128 : 0) | (char.IsControl(c) ? 256 : 0)
        | (char.IsNumber(c) ? 512 : 0) | (char.IsLetterOrDigit(c) ? 1024 : 0);

    public static long ClassesOfEveryChar()
    {
        long hash = 0;
        for (int c = 0; c <= char.MaxValue; c++)
            hash = hash * 31 + CharClasses((char)c) * 7 + CaseMapped((char)c);
        return hash;
    }

    public static int CaseMapped(char c) => char.ToUpperInvariant(c) * 65536 + char.ToLowerInvariant(c);

    public static int Words(string a)
    {
        int words = 0, letters = 0;
        bool inWord = false;
        foreach (char c in a)
        {
            if (char.IsLetterOrDigit(c))
            {
                letters += char.IsUpper(c) ? 2 : 1;
                if (!inWord)
                    words++;
                inWord = true;
            }
            else
            {
                inWord = !char.IsWhiteSpace(c) && inWord;
            }
        }
        return words * 1000 + letters;
    }

    public static int CountWith(string a, string b) => CountOf(a, b.Length == 0 ? 'a' : b[0]) * 100 + Occurrences(a, b);

    /// <summary>Non-overlapping occurrences of <paramref name="part"/>, found by walking a span past each.</summary>
    [Helper]
    public static int Occurrences(string text, string part)
    {
        if (part.Length == 0)
            return 0;
        int n = 0;
        ReadOnlySpan<char> rest = text;
        for (int at = rest.IndexOf(part); at >= 0; at = rest.IndexOf(part))
        {
            n++;
            rest = rest.Slice(at + part.Length);
        }
        return n;
    }
}

// Messages of thrown exceptions built from runtime values, which the host builds when compiled code raises, so the
// text is .NET's: interpolated strings (literal braces, alignments, formats, bools and chars in holes), ToString() of
// numbers, and string.Concat of these, strings and literals (what C# makes of "text " + i); a string value (a parameter,
// null included) as an argument or in a hole, read by the host while the call still lends it.
public static class ExceptionMessages
{
    public static int Interpolated(int[] a, int i)
    {
        if ((uint)i >= (uint)a.Length)
            throw new ArgumentOutOfRangeException(nameof(i), $"index {i} past {a.Length} {{braces}}");
        return a[i];
    }

    public static double Formatted(double x, int width)
    {
        if (x < 0 || double.IsNaN(x))
            throw new ArgumentException($"[{x,10:F3}] [{width,-4}] [{x:E2}] {x > -1}", nameof(x));
        return Math.Sqrt(x) + width;
    }

    public static int Concatenated(int a, long b)
    {
        if (a > b)
            throw new InvalidOperationException("a = " + a + " exceeds b = " + b.ToString());
        return (int)(b - a);
    }

    public static int StringValues(string name, int i)
    {
        if (i < 0)
            throw new ArgumentOutOfRangeException(name, i, $"'{name,6}' is {i}");
        if (i > 30)
            throw new ArgumentException("bad " + name + " at " + i, name);
        return i;
    }

    public static char CharInMessage(char c)
    {
        if (c > 'z')
            throw new ArgumentException($"'{c}' ({(int)c:x4}) is past z");
        return c;
    }
}
