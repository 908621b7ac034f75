using System.Reflection;

namespace Targets.Frontend.Il;

/// <summary>
/// The members of <see cref="string"/> compiled code runs as C# written here: equality, ordinal comparison and
/// searches, with .NET's results (a comparison's value included: .NET returns the difference of the first characters
/// that differ, or of the lengths), exceptions and messages. A method is named <c>String_Member</c> for a static member and <c>This_Member</c> for
/// an instance member, and takes what the member takes, the instance member's string first; a <see cref="StringComparison"/> argument is not passed: the
/// importer has checked it is <see cref="StringComparison.Ordinal"/> (IlImporter.Strings). Each reads the strings
/// through their indexer and <c>Length</c>, which compiled code builds in; the instance members touch <c>Length</c>
/// first, so a null string raises NullReferenceException as .NET's call does.
/// </summary>
internal static class StringSubstitutes
{
    /// <summary>The string members compiled code offers (for a refusal).</summary>
    public const string Supported = "compiled code offers a string's Length, indexer, ==, !=, Equals, string.Equals, CompareOrdinal, Compare and Equals with "
        + "StringComparison.Ordinal, StartsWith/EndsWith (a char, or a string with StringComparison.Ordinal), Contains, IndexOf (a char, or a string with "
        + "StringComparison.Ordinal), LastIndexOf (a char), IsNullOrEmpty, IsNullOrWhiteSpace, ToCharArray, string.Empty, and AsSpan / the conversion to ReadOnlySpan<char>";

    /// <summary>
    /// The substitute for <paramref name="member"/> of <see cref="string"/> called with <paramref name="parameters"/>
    /// (its own less a trailing <see cref="StringComparison"/>), or null.
    /// </summary>
    public static MethodInfo? For(MethodBase member, IEnumerable<Type> parameters)
    {
        var wanted = new List<Type>();
        if (!member.IsStatic)
            wanted.Add(typeof(string));
        wanted.AddRange(parameters);
        return typeof(StringSubstitutes).GetMethod($"{(member.IsStatic ? "String" : "This")}_{member.Name}", BindingFlags.Static | BindingFlags.NonPublic, [.. wanted]);
    }

    // .NET's messages, as its resources give them in English (the differential tests hold them to .NET's).
    const string IndexMustBeLessOrEqual = "Index was out of range. Must be non-negative and less than or equal to the size of the collection.";
    const string CountOutOfRange = "Count must be positive and count must refer to a location within the string/array/collection.";
#pragma warning disable CA2208, CA1510 // the parameter names are the .NET member's; ThrowIfNull takes an object, which compiled code has not

    static bool String_op_Equality(string? a, string? b) => String_Equals(a, b);

    static bool String_op_Inequality(string? a, string? b) => !String_Equals(a, b);

    static bool String_Equals(string? a, string? b)
    {
        if ((object?)a == b)
            return true;
        if (a is null || b is null || a.Length != b.Length)
            return false;
        return SameCharacters(a, 0, b, b.Length);
    }

    static bool This_Equals(string self, string? value)
    {
        int length = self.Length;
        return value is not null && value.Length == length && SameCharacters(self, 0, value, length);
    }

    /// <summary>Whether <paramref name="count"/> characters of <paramref name="text"/> from <paramref name="start"/> are the first of <paramref name="part"/>.</summary>
    static bool SameCharacters(string text, int start, string part, int count)
    {
        for (int i = 0; i < count; i++)
        {
            if (text[start + i] != part[i])
                return false;
        }
        return true;
    }

    static int String_CompareOrdinal(string? strA, string? strB)
    {
        if ((object?)strA == strB)
            return 0;
        if (strA is null)
            return -1;
        if (strB is null)
            return 1;
        // .NET compares the first characters, then the rest two characters at a time, reading a string's terminating
        // '\0' as a character: up to the shorter length rounded up to even, so "a" against "ab" is '\0' - 'b'.
        int firstA = CharacterOrTerminator(strA, 0), firstB = CharacterOrTerminator(strB, 0);
        if (firstA != firstB)
            return firstA - firstB;
        int compared = (Math.Min(strA.Length, strB.Length) + 1) & ~1;
        for (int i = 1; i < compared; i++)
        {
            int a = CharacterOrTerminator(strA, i), b = CharacterOrTerminator(strB, i);
            if (a != b)
                return a - b;
        }
        return strA.Length - strB.Length;
    }

    /// <summary>Character <paramref name="index"/> of <paramref name="text"/>, or 0 at its end (the terminator .NET keeps after a string's characters).</summary>
    static int CharacterOrTerminator(string text, int index) => index < text.Length ? text[index] : 0;

    static int String_Compare(string? strA, string? strB) => String_CompareOrdinal(strA, strB);

    static bool String_IsNullOrEmpty(string? value) => value is null || value.Length == 0;

    static bool String_IsNullOrWhiteSpace(string? value)
    {
        if (value is null)
            return true;
        for (int i = 0; i < value.Length; i++)
        {
            if (!char.IsWhiteSpace(value[i]))
                return false;
        }
        return true;
    }

    static bool This_StartsWith(string self, char value) => self.Length != 0 && self[0] == value;

    static bool This_EndsWith(string self, char value) => self.Length != 0 && self[^1] == value;

    static bool This_StartsWith(string self, string value)
    {
        int length = self.Length;
        if (value is null)
            throw new ArgumentNullException(nameof(value));
        return value.Length <= length && SameCharacters(self, 0, value, value.Length);
    }

    static bool This_EndsWith(string self, string value)
    {
        int length = self.Length;
        if (value is null)
            throw new ArgumentNullException(nameof(value));
        return value.Length <= length && SameCharacters(self, length - value.Length, value, value.Length);
    }

    static bool This_Contains(string self, char value) => This_IndexOf(self, value) >= 0;

    static bool This_Contains(string self, string value)
    {
        _ = self.Length;
        if (value is null)
            throw new ArgumentNullException(nameof(value));
        return This_IndexOf(self, value) >= 0;
    }

    static int This_IndexOf(string self, char value) => This_IndexOf(self, value, 0, self.Length);

    static int This_IndexOf(string self, char value, int startIndex)
    {
        if ((uint)startIndex > (uint)self.Length)
            throw new ArgumentOutOfRangeException(nameof(startIndex), IndexMustBeLessOrEqual);
        return This_IndexOf(self, value, startIndex, self.Length - startIndex);
    }

    static int This_IndexOf(string self, char value, int startIndex, int count)
    {
        if ((uint)startIndex > (uint)self.Length)
            throw new ArgumentOutOfRangeException(nameof(startIndex), IndexMustBeLessOrEqual);
        if ((uint)count > (uint)(self.Length - startIndex))
            throw new ArgumentOutOfRangeException(nameof(count), CountOutOfRange);
        for (int i = startIndex; i < startIndex + count; i++)
        {
            if (self[i] == value)
                return i;
        }
        return -1;
    }

    /// <summary><c>IndexOf(value, StringComparison.Ordinal)</c>: an empty value is found at 0.</summary>
    static int This_IndexOf(string self, string value)
    {
        int length = self.Length;
        if (value is null)
            throw new ArgumentNullException(nameof(value));
        for (int i = 0; i <= length - value.Length; i++)
        {
            if (SameCharacters(self, i, value, value.Length))
                return i;
        }
        return -1;
    }

    static int This_LastIndexOf(string self, char value)
    {
        for (int i = self.Length - 1; i >= 0; i--)
        {
            if (self[i] == value)
                return i;
        }
        return -1;
    }

    static char[] This_ToCharArray(string self)
    {
        char[] chars = new char[self.Length];
        for (int i = 0; i < chars.Length; i++)
            chars[i] = self[i];
        return chars;
    }
#pragma warning restore CA2208, CA1510
}
