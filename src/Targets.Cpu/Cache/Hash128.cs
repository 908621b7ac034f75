using System.IO.Hashing;

namespace Targets.Cpu.Cache;

/// <summary>
/// The cache's 128-bit hash (keys, entry checksums, destructor symbols): two XXH64 digests of the
/// same bytes under different seeds (System.IO.Hashing). A seed changes all four of XXH64's lanes
/// from the first byte, so the halves are independent functions: an accidental collision among a
/// cache's entries needs both to collide. Not XXH3-128 from the same package: its first use in a
/// fresh process costs ~10 ms (vectorised code the package ships without ReadyToRun images, so .NET
/// JIT-compiles ~45 methods), XXH64's ~2 ms — on the path of every first call served by the cache.
/// Not a defence against someone who can write to the cache directory (nothing keyed by a fast
/// hash is).
/// </summary>
internal sealed class Hash128
{
    /// <summary>Bytes in a digest.</summary>
    public const int Length = 16;

    const long LowSeed = 0, HighSeed = 0x7467_7473_6361_6368; // "tgtscach": any constant other than the low seed

    readonly XxHash64 low = new(LowSeed), high = new(HighSeed);

    public void Append(ReadOnlySpan<byte> bytes)
    {
        low.Append(bytes);
        high.Append(bytes);
    }

    /// <summary>The digest of everything appended (the hash can go on being appended to).</summary>
    public byte[] Digest()
    {
        var digest = new byte[Length];
        low.GetCurrentHash(digest.AsSpan(0, 8));
        high.GetCurrentHash(digest.AsSpan(8));
        return digest;
    }

    /// <summary>The digest of <paramref name="bytes"/> written to <paramref name="digest"/> (<see cref="Length"/> bytes).</summary>
    public static void Of(ReadOnlySpan<byte> bytes, Span<byte> digest)
    {
        XxHash64.Hash(bytes, digest[..8], LowSeed);
        XxHash64.Hash(bytes, digest[8..Length], HighSeed);
    }

    /// <summary>
    /// Lower-case hex digits of <paramref name="bytes"/>. Not <see cref="Convert.ToHexStringLower(byte[])"/>:
    /// its vectorised encoder is JIT-compiled on first use (~1.5 ms in a fresh process) for 32 characters.
    /// </summary>
    public static string Hex(ReadOnlySpan<byte> bytes)
    {
        const string Digits = "0123456789abcdef";
        Span<char> digits = stackalloc char[2 * bytes.Length];
        for (int i = 0; i < bytes.Length; i++)
        {
            digits[2 * i] = Digits[bytes[i] >> 4];
            digits[2 * i + 1] = Digits[bytes[i] & 0xf];
        }
        return new string(digits);
    }
}
