namespace Targets.Cpu.Tests;

/// <summary>Strings crossing between .NET and compiled code, and the string code compiled code refuses.</summary>
public static class StringCode
{
    public static string? Longer(string? a, string? b) => (a?.Length ?? -1) >= (b?.Length ?? -1) ? a : b;

    public static string Word(int which) => which == 0 ? "zero" : "other";

    public static int Count(string s, char c)
    {
        int n = 0;
        foreach (char x in s)
        {
            if (x == c)
                n++;
        }
        return n;
    }

    public static bool CultureStartsWith(string s) => s.StartsWith("ab");

    public static bool IgnoringCase(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    public static string Tail(string s) => s.Substring(1);

    public static string Joined(string a, string b) => a + b;

    public static int InStruct(string s) => new Named(s).Name.Length;

    public readonly struct Named(string name)
    {
        public string Name { get; } = name;
    }
}

/// <summary>
/// A string .NET passes in comes back as the same object, a literal as .NET's interned literal, null as null, through
/// the typed delegate and the boxed call; nothing is allocated for strings; comparisons by culture, building strings and
/// strings kept in structs are refused with the reason.
/// </summary>
[Collection(nameof(NrtSerial))]
public sealed class StringTests : NrtLeakCheck
{
    static readonly CpuTarget Cpu = new();

    [Fact]
    public void A_string_passed_in_and_returned_is_the_same_object_and_allocates_nothing()
    {
        var longer = Cpu.Compile(StringCode.Longer).AsDelegate<Func<string?, string?, string?>>();
        string a = new('x', 3), b = new('y', 5);
        NrtStats before = Nrt.GetAllocationStats();
        Assert.Same(b, longer(a, b));
        Assert.Same(a, longer(a, null));
        Assert.Null(longer(null, null));
        Assert.Same(a, Cpu.Compile(StringCode.Longer).Invoke(a, "ab"));
        Assert.Equal(0, Nrt.GetAllocationStats().Since(before).Alloc);
    }

    [Fact]
    public void A_returned_literal_is_dotnets_interned_literal()
    {
        var word = Cpu.Compile(StringCode.Word).AsDelegate<Func<int, string>>();
        Assert.Same(StringCode.Word(0), word(0));
        Assert.Same("other", word(1));
    }

    [Fact]
    public void Strings_are_read_in_place_whatever_their_length()
    {
        var count = Cpu.Compile(StringCode.Count).AsDelegate<Func<string, char, int>>();
        string large = string.Concat(Enumerable.Repeat("abcab", 100_000));
        Assert.Equal(StringCode.Count(large, 'b'), count(large, 'b'));
        Assert.Throws<NullReferenceException>(() => count(null!, 'a'));
    }

    [Theory]
    [InlineData(nameof(StringCode.CultureStartsWith), DiagnosticCode.UnsupportedCall, "string.StartsWith(String)", "pass StringComparison.Ordinal")]
    [InlineData(nameof(StringCode.IgnoringCase), DiagnosticCode.UnsupportedCall, "string.Equals(String, String, StringComparison)", "ordinally only")]
    [InlineData(nameof(StringCode.Tail), DiagnosticCode.UnsupportedCall, "string.Substring(Int32)", "does not build them")]
    [InlineData(nameof(StringCode.Joined), DiagnosticCode.UnsupportedConstruct, "building a string (an interpolated string, a concatenation or ToString())", "does not build them")]
    public void String_code_outside_the_subset_is_refused_with_the_reason(string method, DiagnosticCode code, string construct, string reason)
    {
        var e = Assert.Throws<CompilationException>(() => Cpu.Compile(typeof(StringCode).GetMethod(method)!));
        Assert.Equal(code, e.Code);
        Assert.Contains(construct, e.Message, StringComparison.Ordinal);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_struct_that_holds_a_string_is_refused_with_the_reason()
    {
        var e = Assert.Throws<CompilationException>(() => Cpu.Compile(StringCode.InStruct));
        Assert.Contains("is a string", e.Message, StringComparison.Ordinal);
        Assert.Contains("past the call", e.Message, StringComparison.Ordinal);
    }
}
