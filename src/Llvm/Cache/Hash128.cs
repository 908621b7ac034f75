using System.Buffers.Binary;
using System.Numerics;

namespace Targets.Cache;

/// <summary>
/// The cache's 128-bit hash (keys, entry checksums, destructor symbols): two XXH64 digests of the
/// same bytes under different seeds, each written big-endian (as System.IO.Hashing's
/// <c>XxHash64</c> writes it; the tests check every length against it). A seed changes all four of
/// XXH64's lanes from the first byte, so the halves are independent functions: an accidental
/// collision among a cache's entries needs both to collide. Not a defence against someone who can
/// write to the cache directory (nothing keyed by a fast hash is).
/// <para>
/// Our own XXH64 rather than the package's: the package ships without ReadyToRun code, so .NET
/// JIT-compiled its 16 methods in every process, on the path of every first call the cache serves
/// (its XXH3-128 was worse: ~45 methods, ~10 ms). Appended bytes are kept and hashed at
/// <see cref="Digest"/>: what the cache hashes is a few kilobytes at most.
/// </para>
/// </summary>
internal sealed class Hash128
{
    /// <summary>Bytes in a digest.</summary>
    public const int Length = 16;

    const ulong LowSeed = 0, HighSeed = 0x7467_7473_6361_6368; // "tgtscach": any constant other than the low seed

    byte[] appended = new byte[256];
    int count;

    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (count + bytes.Length > appended.Length)
            Array.Resize(ref appended, Math.Max(2 * appended.Length, count + bytes.Length));
        bytes.CopyTo(appended.AsSpan(count));
        count += bytes.Length;
    }

    /// <summary>The digest of everything appended (the hash can go on being appended to).</summary>
    public byte[] Digest()
    {
        var digest = new byte[Length];
        Of(appended.AsSpan(0, count), digest);
        return digest;
    }

    /// <summary>The digest of <paramref name="bytes"/> written to <paramref name="digest"/> (<see cref="Length"/> bytes).</summary>
    public static void Of(ReadOnlySpan<byte> bytes, Span<byte> digest)
    {
        BinaryPrimitives.WriteUInt64BigEndian(digest, Xxh64(bytes, LowSeed));
        BinaryPrimitives.WriteUInt64BigEndian(digest[8..Length], Xxh64(bytes, HighSeed));
    }

    const ulong Prime1 = 0x9E3779B185EBCA87, Prime2 = 0xC2B2AE3D27D4EB4F, Prime3 = 0x165667B19E3779F9,
        Prime4 = 0x85EBCA77C2B2AE63, Prime5 = 0x27D4EB2F165667C5;

    /// <summary>XXH64 (Yann Collet's specification): four lanes over 32-byte stripes, then the tail, then the avalanche.</summary>
    internal static ulong Xxh64(ReadOnlySpan<byte> input, ulong seed)
    {
        int at = 0;
        ulong hash;
        if (input.Length >= 32)
        {
            ulong v1 = seed + Prime1 + Prime2, v2 = seed + Prime2, v3 = seed, v4 = seed - Prime1;
            for (; at + 32 <= input.Length; at += 32)
            {
                v1 = Round(v1, BinaryPrimitives.ReadUInt64LittleEndian(input[at..]));
                v2 = Round(v2, BinaryPrimitives.ReadUInt64LittleEndian(input[(at + 8)..]));
                v3 = Round(v3, BinaryPrimitives.ReadUInt64LittleEndian(input[(at + 16)..]));
                v4 = Round(v4, BinaryPrimitives.ReadUInt64LittleEndian(input[(at + 24)..]));
            }
            hash = BitOperations.RotateLeft(v1, 1) + BitOperations.RotateLeft(v2, 7) + BitOperations.RotateLeft(v3, 12) + BitOperations.RotateLeft(v4, 18);
            hash = Merge(Merge(Merge(Merge(hash, v1), v2), v3), v4);
        }
        else
        {
            hash = seed + Prime5;
        }
        hash += (ulong)input.Length;
        for (; at + 8 <= input.Length; at += 8)
            hash = BitOperations.RotateLeft(hash ^ Round(0, BinaryPrimitives.ReadUInt64LittleEndian(input[at..])), 27) * Prime1 + Prime4;
        if (at + 4 <= input.Length)
        {
            hash = BitOperations.RotateLeft(hash ^ (BinaryPrimitives.ReadUInt32LittleEndian(input[at..]) * Prime1), 23) * Prime2 + Prime3;
            at += 4;
        }
        for (; at < input.Length; at++)
            hash = BitOperations.RotateLeft(hash ^ (input[at] * Prime5), 11) * Prime1;
        hash ^= hash >> 33;
        hash *= Prime2;
        hash ^= hash >> 29;
        hash *= Prime3;
        return hash ^ (hash >> 32);
    }

    static ulong Round(ulong lane, ulong input) => BitOperations.RotateLeft(lane + input * Prime2, 31) * Prime1;

    static ulong Merge(ulong hash, ulong lane) => (hash ^ Round(0, lane)) * Prime1 + Prime4;

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
