using System.Buffers.Binary;
using System.Text;

namespace Targets.Cache;

/// <summary>
/// What a cache entry holds besides the object file: the symbols to look up, the destructors the
/// code links against (by class, with the symbol each must have), and what the frontend reported
/// (pass counts), and whether the entry is brief (<see cref="Targets.Llvm.BriefCode"/>: .NET calls it without the GC
/// transition), so a hit never runs the frontend or LLVM. An entry without the line is not brief: the safe reading.
/// </summary>
internal sealed record CacheMetadata(
    string Module,
    string Entry,
    string Direct,
    IReadOnlyList<CachedDestructor> Destructors,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> PassCounts,
    bool Brief);

/// <summary>A destructor the cached code calls: the class (assembly-qualified) and the symbol its layout's destructor has.</summary>
internal sealed record CachedDestructor(string Class, string Symbol);

/// <summary>
/// The bytes of one cache entry and their checking. Layout: the magic <c>TGTCACHE</c>, the format
/// version, the key's full hash, the metadata (lines of tab-separated fields) and the object file, each length-prefixed,
/// then a <see cref="Hash128"/> checksum of everything before it. <see cref="Read"/> accepts an entry only when every
/// length fits, the key is the one asked for (a renamed or foreign file is refused) and the
/// checksum matches: a truncated, bit-flipped or half-written file is never handed to the linker.
/// </summary>
internal static class CacheEntry
{
    static ReadOnlySpan<byte> Magic => "TGTCACHE"u8;
    const int Version = 2; // 2: the checksum is Hash128 (was XXH3-128)
    const int HashLength = Hash128.Length;

    public static byte[] Write(string keyHash, CacheMetadata metadata, ReadOnlySpan<byte> objectFile)
    {
        byte[] key = Encoding.ASCII.GetBytes(keyHash);
        byte[] json = Encoding.UTF8.GetBytes(Text(metadata));
        var bytes = new byte[Magic.Length + 4 + 4 + key.Length + 4 + json.Length + 8 + objectFile.Length + HashLength];
        var span = bytes.AsSpan();
        int at = 0;
        Magic.CopyTo(span);
        at += Magic.Length;
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], Version);
        at += 4;
        at = Chunk(span, at, key, 4);
        at = Chunk(span, at, json, 4);
        at = Chunk(span, at, objectFile, 8);
        Hash128.Of(span[..at], span[at..]);
        return bytes;
    }

    static int Chunk(Span<byte> span, int at, ReadOnlySpan<byte> chunk, int prefix)
    {
        if (prefix == 4)
            BinaryPrimitives.WriteInt32LittleEndian(span[at..], chunk.Length);
        else
            BinaryPrimitives.WriteInt64LittleEndian(span[at..], chunk.Length);
        chunk.CopyTo(span[(at + prefix)..]);
        return at + prefix + chunk.Length;
    }

    /// <summary>The metadata and object file of an intact entry for <paramref name="keyHash"/>; otherwise null and why.</summary>
    public static (CacheMetadata Metadata, byte[] ObjectFile)? Read(ReadOnlySpan<byte> bytes, string keyHash, out string? why)
    {
        why = null;
        if (bytes.Length < Magic.Length + 4 + HashLength || !bytes.StartsWith(Magic))
            return Refuse("not a cache entry (bad magic or too short)", out why);
        ReadOnlySpan<byte> body = bytes[..^HashLength];
        Span<byte> sum = stackalloc byte[HashLength];
        Hash128.Of(body, sum);
        if (!sum.SequenceEqual(bytes[^HashLength..]))
            return Refuse("checksum mismatch (truncated or corrupt)", out why);
        int at = Magic.Length;
        if (BinaryPrimitives.ReadInt32LittleEndian(body[at..]) != Version)
            return Refuse("written by another entry format", out why);
        at += 4;
        if (!TryChunk(body, ref at, 4, out ReadOnlySpan<byte> key) || !TryChunk(body, ref at, 4, out ReadOnlySpan<byte> json)
            || !TryChunk(body, ref at, 8, out ReadOnlySpan<byte> objectFile) || at != body.Length)
            return Refuse("malformed lengths", out why);
        if (!key.SequenceEqual(Encoding.ASCII.GetBytes(keyHash)))
            return Refuse("the entry is for another key", out why);
        if (Parse(Encoding.UTF8.GetString(json)) is not { } metadata)
            return Refuse("unreadable metadata", out why);
        return (metadata, objectFile.ToArray());
    }

    /// <summary>The metadata as lines of tab-separated fields (a format this small needs no serializer, and reading it costs nothing at start-up).</summary>
    static string Text(CacheMetadata metadata)
    {
        var text = new StringBuilder();
        text.Append("module\t").Append(metadata.Module).Append("\nentry\t").Append(metadata.Entry).Append("\ndirect\t").Append(metadata.Direct).Append('\n');
        if (metadata.Brief)
            text.Append("brief\n");
        foreach (CachedDestructor destructor in metadata.Destructors)
            text.Append("destructor\t").Append(destructor.Class).Append('\t').Append(destructor.Symbol).Append('\n');
        foreach ((string pass, IReadOnlyDictionary<string, int> counts) in metadata.PassCounts)
        {
            text.Append("pass\t").Append(pass).Append('\n');
            foreach ((string counter, int value) in counts)
                text.Append("count\t").Append(counter).Append('\t').Append(value.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        }
        return text.ToString();
    }

    static CacheMetadata? Parse(string text)
    {
        string? module = null, entry = null, direct = null;
        var destructors = new List<CachedDestructor>();
        var passes = new Dictionary<string, IReadOnlyDictionary<string, int>>();
        Dictionary<string, int>? counts = null;
        bool brief = false;
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] f = line.Split('\t');
            switch (f[0])
            {
                case "module" when f.Length == 2: module = f[1]; break;
                case "entry" when f.Length == 2: entry = f[1]; break;
                case "direct" when f.Length == 2: direct = f[1]; break;
                case "brief" when f.Length == 1: brief = true; break;
                case "destructor" when f.Length == 3: destructors.Add(new CachedDestructor(f[1], f[2])); break;
                case "pass" when f.Length == 2: passes[f[1]] = counts = []; break;
                case "count" when f.Length == 3 && counts is not null && int.TryParse(f[2], System.Globalization.CultureInfo.InvariantCulture, out int value): counts[f[1]] = value; break;
                default: return null;
            }
        }
        return string.IsNullOrEmpty(module) || entry is null || direct is null ? null : new CacheMetadata(module, entry, direct, destructors, passes, brief);
    }

    static bool TryChunk(ReadOnlySpan<byte> body, ref int at, int prefix, out ReadOnlySpan<byte> chunk)
    {
        chunk = default;
        if (at + prefix > body.Length)
            return false;
        long length = prefix == 4 ? BinaryPrimitives.ReadInt32LittleEndian(body[at..]) : BinaryPrimitives.ReadInt64LittleEndian(body[at..]);
        at += prefix;
        if (length < 0 || length > body.Length - at)
            return false;
        chunk = body.Slice(at, (int)length);
        at += (int)length;
        return true;
    }

    static (CacheMetadata, byte[])? Refuse(string reason, out string why)
    {
        why = reason;
        return null;
    }
}
