using System.Reflection;

namespace Targets.Frontend.Il;

/// <summary>
/// The list of .NET library members compiled code runs, generated from the tables the importer reads: the built-in
/// <c>Math</c>/<c>MathF</c> functions, the library intrinsics, the span and array members and their substitutes, the
/// <c>MemoryMarshal</c>/<c>Unsafe</c> members, the <c>Interlocked</c> members, SIMD vectors and the <c>Vector2/3/4</c> substitutes. docs/csharp-subset.md holds this text between
/// its markers; a test keeps the two equal (<c>UPDATE_GOLDEN=1</c> rewrites the docs).
/// </summary>
internal static class LibraryMembers
{
    public const string Begin = "<!-- generated: library members (LibraryMembers.Markdown; UPDATE_GOLDEN=1 dotnet test tests/Frontend.Tests rewrites it) -->";
    public const string End = "<!-- end of generated list -->";

    /// <summary>The markdown list, one line per family.</summary>
    public static string Markdown()
    {
        var lines = new List<string>
        {
            Line("`System.Math` / `MathF`, built in", IlImporter.MathNames.Keys.Where(n => typeof(Math).GetMember(n).Length > 0 || typeof(MathF).GetMember(n).Length > 0)),
            "- `System.Math` / `MathF`, from substitutes: `Round(x, digits)`, `Round(x, mode)`, `Round(x, digits, mode)` (.NET's algorithm and exceptions)",
            "- `System.Math` / `MathF`, from .NET's IL: every other member whose body stays in the subset (`ILogB`, `ScaleB`, `BitIncrement`, `BitDecrement`, "
                + "`BigMul`, `DivRem`, `Log(a, b)`, `IEEERemainder`, `MaxMagnitude`, `MinMagnitude`, … — the corpus section MathFromIl runs them)",
            Line("`BitOperations`, built in", IlImporter.BitOperationNames),
            Line("`BitConverter`, built in", IlImporter.BitReinterpretationNames),
            Line("`Span<T>` / `ReadOnlySpan<T>`, built in", ["ctor(T[])", "ctor(T[], int, int)", "ctor(void*, int) of a stackalloc", "Item", "Length", "IsEmpty", "Empty", "implicit T[] → span", "implicit Span → ReadOnlySpan"]),
            Line("`Span<T>` / `ReadOnlySpan<T>`, from substitutes", Members(typeof(SpanSubstitutes), "Span_")),
            Line("`MemoryExtensions`", ["AsSpan(T[])", "AsSpan(T[], int)", "AsSpan(T[], int, int)", .. Members(typeof(SpanSubstitutes), "MemoryExtensions_")]),
            Line("`RuntimeHelpers`", ["InitializeArray", "CreateSpan"]),
            Line("`char`, from substitutes (tables .NET's own members fill: the same answers for every UTF-16 code unit)", Members(typeof(CharSubstitutes), "Char_")),
            Line("`string`, built in", ["Length", "Chars (the indexer)", "Empty", "implicit string → ReadOnlySpan<char>", "AsSpan(string)", "AsSpan(string, int)", "AsSpan(string, int, int)"]),
            Line("`string`, from substitutes, ordinal (`Compare`, and `StartsWith`/`EndsWith`/`IndexOf` of a string, take `StringComparison.Ordinal`: without it .NET compares by culture, which is refused)", StringMembers()),
            Line("`Array`, from substitutes", Members(typeof(ArraySubstitutes), "Array_")),
            Line("`Buffer`, built in (.NET's checks, then the bytes moved)", [nameof(Buffer.BlockCopy)]),
            Line("`MemoryMarshal`, built in, of spans of numbers and structs of numbers (a cast views the same memory)", IlImporter.MemoryMarshalNames),
            Line("`Unsafe`, built in, where it stays memory-safe (`Add`/`Subtract` of an element's address made in the same expression, checked against its array; "
                + "`As` to a type no larger and no more aligned)", IlImporter.UnsafeNames),
            Line("`Interlocked`, on array elements", IlImporter.InterlockedNames),
            Line("`Vector<T>`, `Vector64/128/256/512<T>` and their static classes, built in (SIMD; integer lanes divide one by one as .NET's do)", IlImporter.SimdMembers),
            Line("`Vector2` / `Vector3` / `Vector4`, from substitutes", typeof(VectorSubstitutes).GetMethods(BindingFlags.Static | BindingFlags.NonPublic)
                .Select(m => m.Name[(m.Name.IndexOf('_', StringComparison.Ordinal) + 1)..]).Select(n => n == "Constructor" ? "ctor" : n)),
        };
        return string.Join('\n', lines) + "\n";
    }

    static IEnumerable<string> StringMembers() =>
        typeof(StringSubstitutes).GetMethods(BindingFlags.Static | BindingFlags.NonPublic).Where(m => m.Name.StartsWith("String_", StringComparison.Ordinal) || m.Name.StartsWith("This_", StringComparison.Ordinal))
            .Select(m => $"{m.Name[(m.Name.IndexOf('_', StringComparison.Ordinal) + 1)..]}({string.Join(", ", m.GetParameters().Skip(m.Name.StartsWith("This_", StringComparison.Ordinal) ? 1 : 0).Select(p => p.ParameterType.Name))})");

    static IEnumerable<string> Members(Type table, string prefix) =>
        table.GetMethods(BindingFlags.Static | BindingFlags.NonPublic).Where(m => m.Name.StartsWith(prefix, StringComparison.Ordinal) && m.Name != "Span_Index" && m.Name != "Span_Over")
            .Select(m => m.Name[prefix.Length..]);

    static string Line(string family, IEnumerable<string> members) =>
        $"- {family}: {string.Join(", ", members.Distinct().Order(StringComparer.Ordinal).Select(m => $"`{m}`"))}";
}
