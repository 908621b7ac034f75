using System.Globalization;
using System.Text;

namespace Targets.Testing;

/// <summary>Readable, exact text for values in mismatch reports (floats with their bits).</summary>
public static class Format
{
    public static string Tuple(object?[] args) => "(" + string.Join(", ", args.Select(Value)) + ")";

    public static string Value(object? v) => v switch
    {
        null => "null",
        float f => $"{f.ToString("R", CultureInfo.InvariantCulture)}f[0x{BitConverter.SingleToInt32Bits(f):x8}]",
        double d => $"{d.ToString("R", CultureInfo.InvariantCulture)}[0x{BitConverter.DoubleToInt64Bits(d):x16}]",
        char c => $"'\\u{(int)c:x4}'",
        bool b => b ? "true" : "false",
        string s => System.Text.Json.JsonSerializer.Serialize(s),
        Array a => ArrayText(a),
        IFormattable x => $"({x.GetType().Name}){x.ToString(null, CultureInfo.InvariantCulture)}",
        _ => v.ToString() ?? "?",
    };

    static string ArrayText(Array a)
    {
        var sb = new StringBuilder();
        sb.Append(a.GetType().GetElementType()!.Name);
        if (a.Rank == 1)
            sb.Append('[').Append(a.Length).Append("]{");
        else
            sb.Append('[').Append(a.GetLength(0)).Append(',').Append(a.GetLength(1)).Append("]{");
        int shown = 0;
        foreach (object? item in a)
        {
            if (shown > 0) sb.Append(", ");
            if (shown++ == 24) { sb.Append('…'); break; }
            sb.Append(Scalar(item));
        }
        return sb.Append('}').ToString();
    }

    static string Scalar(object? v) => v switch
    {
        float f => f.ToString("R", CultureInfo.InvariantCulture) + "f",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        char c => $"'\\u{(int)c:x4}'",
        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        _ => v?.ToString() ?? "null",
    };
}
