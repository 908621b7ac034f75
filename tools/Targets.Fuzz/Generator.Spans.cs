namespace Targets.Fuzz;

/// <summary>
/// Spans, stackalloc and the array members compiled code runs from substitutes, over the program's int arrays:
/// fills, clears, reversals and sorts of parts (a part from a random start and length, which may lie outside and
/// raise as .NET raises), copies between parts (the destination may be too short), searches, span indexing past the
/// span's end, and a stackalloc'd copy written back, a resized copy (Array.Resize), bytes moved between the arrays
/// (Buffer.BlockCopy), views of a part as bytes and as longs (MemoryMarshal.AsBytes/Cast) and elements read through Unsafe.As. Every choice to make one is drawn from <see cref="spans"/>,
/// apart from the rest of the generator, so a program without spans is the one its seed made before they existed.
/// </summary>
internal sealed partial class Generator
{
    readonly Random spans;

    /// <summary>Two programs in three have span statements.</summary>
    readonly bool withSpans;

    bool SpanStatementDue => withSpans && hasArrays && !safe && !device && spans.Next(10) == 0;

    Stmt SpanStatement()
    {
        (string array, int length) = intArrays[spans.Next(intArrays.Count)];
        (string other, int otherLength) = intArrays[spans.Next(intArrays.Count)];
        // A part's start and length: within the array, or (now and then) anything, which .NET refuses.
        Expr Start() => spans.Next(8) == 0 ? Expression(Ty.Int, 1) : Make(Ty.Int, $"(({{0}}) & {length - 1})", Expression(Ty.Int, 2));
        Expr Count(int of) => spans.Next(8) == 0 ? Expression(Ty.Int, 1) : Make(Ty.Int, $"(({{0}}) & {of / 2})", Expression(Ty.Int, 2));
        int form = spans.Next(10);
        if (form == 6 && tryDepth > 0)
            form = 5; // C# allows no stackalloc in a catch or finally block
        return form switch
        {
            0 => new Stmt($"{array}.AsSpan({{0}}).Fill({{1}});", [Start(), Expression(Ty.Int, 2)]),
            1 => new Stmt($"{array}.AsSpan({{0}}, {{1}}).Reverse();", [Start(), Count(length)]),
            2 => new Stmt($"{array}.AsSpan({{0}}).Sort();", [Start()]),
            3 => new Stmt($"{array}.AsSpan({{0}}, {{1}}).CopyTo({other}.AsSpan({{2}}));", [Start(), Count(length), Make(Ty.Int, $"(({{0}}) & {otherLength - 1})", Expression(Ty.Int, 2))]),
            4 => new Stmt($"{array}[{{0}}] = {other}.AsSpan().IndexOf({{1}}) + {array}.AsSpan({{2}}).LastIndexOf({{1}});",
                [Index(length), Expression(Ty.Int, 2), Start()]),
            5 => new Stmt($"{{{{ Span<int> s{names++} = {array}.AsSpan({{0}}, {{1}}); {array}[{{2}}] += s{names - 1}[{{3}}]; }}}}",
                [Start(), Count(length), Index(length), Count(length)]),
            6 => new Stmt($"{{{{ Span<int> t{names++} = stackalloc int[{length}]; {array}.AsSpan().CopyTo(t{names - 1}); t{names - 1}[{{0}}] ^= {{1}}; t{names - 1}.Slice({{2}}).CopyTo({array}.AsSpan({{2}})); }}}}",
                [Index(length), Expression(Ty.Int, 2), Start()]),
            7 => spans.Next(4) switch
            {
                0 => new Stmt($"Array.Reverse({array});", []),
                1 => new Stmt($"Array.Sort({array});", []),
                // A resized copy (the program's arrays keep their lengths); a size that may be negative, which raises.
                2 => new Stmt($"{{{{ int[] r{names++} = (int[]){array}.Clone(); int z{names - 1} = {{1}}; Array.Resize(ref r{names - 1}, z{names - 1}); {array}[{{0}}] = r{names - 1}.Length * 100 + (r{names - 1}.Length > 0 ? r{names - 1}[^1] : -1); }}}}",
                    [Index(length), spans.Next(8) == 0 ? Expression(Ty.Int, 1) : Make(Ty.Int, $"(({{0}}) & {2 * length - 1})", Expression(Ty.Int, 2))]),
                // Bytes between the arrays (offsets and counts in bytes, now and then past the end, which raises).
                _ => new Stmt($"Buffer.BlockCopy({array}, {{0}}, {other}, {{1}}, {{2}});", [Make(Ty.Int, $"(({{0}}) & {4 * length - 1})", Expression(Ty.Int, 2)),
                    Make(Ty.Int, $"(({{0}}) & {4 * otherLength - 1})", Expression(Ty.Int, 2)), Make(Ty.Int, $"(({{0}}) & {2 * Math.Min(length, otherLength) - 1})", Expression(Ty.Int, 2))]),
            },
            8 => new Stmt($"{array}[{{0}}] = Array.IndexOf({other}, {{1}}) * 3 + ({array}.AsSpan(0, {{2}}).SequenceEqual({other}.AsSpan(0, {{2}})) ? 1 : 0);",
                [Index(length), Expression(Ty.Int, 2), Make(Ty.Int, $"(({{0}}) & {Math.Min(length, otherLength) - 1})", Expression(Ty.Int, 2))]),
            _ => spans.Next(4) switch
            {
                0 => new Stmt($"{array}.AsSpan({{0}})[..{{1}}].Clear();", [Start(), Count(length)]),
                // A byte of a part through a view (an index past the view's end raises, as in .NET).
                1 => new Stmt($"{{{{ Span<byte> b{names++} = System.Runtime.InteropServices.MemoryMarshal.AsBytes({array}.AsSpan({{0}})); b{names - 1}[{{1}}] ^= unchecked((byte)({{2}})); }}}}",
                    [Start(), Make(Ty.Int, $"(({{0}}) & {4 * length - 1})", Expression(Ty.Int, 2)), Expression(Ty.Int, 2)]),
                // Pairs of ints as longs (an odd part drops its last int).
                2 => new Stmt($"{array}[{{0}}] = (int)(System.Runtime.InteropServices.MemoryMarshal.Cast<int, long>({array}.AsSpan({{1}}))[{{2}}] >> 7);",
                    [Index(length), Start(), Make(Ty.Int, $"(({{0}}) & {Math.Max(1, length / 2) - 1})", Expression(Ty.Int, 2))]),
                // An element read as a uint through Unsafe.As (.NET checks the index). Not Unsafe.Add: the reducer, simplifying a
                // program, can drop the mask that keeps its offset inside the array, and .NET's code then writes outside memory.
                _ => new Stmt($"{array}[{{0}}] += (int)(System.Runtime.CompilerServices.Unsafe.As<int, uint>(ref {array}[{{1}}]) >> 3);",
                    [Index(length), Index(length)]),
            },
        };
    }
}
