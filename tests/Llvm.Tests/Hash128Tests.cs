using System.IO.Hashing;
using Targets.Cache;

namespace Targets.Llvm.Tests;

/// <summary>The cache's own XXH64 against System.IO.Hashing's (the oracle): every length around the stripe and tail boundaries, both seeds, streamed or whole.</summary>
public class Hash128Tests
{
    static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static TheoryData<int> Lengths => [0, 1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 35, 36, 39, 40, 63, 64, 65, 100, 255, 1000, 4099];

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Xxh64_matches_the_package_for_every_length_and_seed(int length)
    {
        byte[] input = Bytes(length, length);
        foreach (ulong seed in new ulong[] { 0, 1, 0x7467_7473_6361_6368, ulong.MaxValue })
            Assert.Equal(XxHash64.HashToUInt64(input, unchecked((long)seed)), Hash128.Xxh64(input, seed));
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void A_digest_is_the_two_seeded_big_endian_digests_whether_appended_in_pieces_or_hashed_whole(int length)
    {
        byte[] input = Bytes(length, 7 * length + 1);
        byte[] expected = [.. XxHash64.Hash(input, 0), .. XxHash64.Hash(input, 0x7467_7473_6361_6368)];
        var whole = new byte[Hash128.Length];
        Hash128.Of(input, whole);
        var streamed = new Hash128();
        for (int at = 0; at < length; at += 5)
            streamed.Append(input.AsSpan(at, Math.Min(5, length - at)));
        Assert.Equal(expected, whole);
        Assert.Equal(expected, streamed.Digest());
    }
}
