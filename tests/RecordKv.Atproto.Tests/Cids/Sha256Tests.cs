using System.Security.Cryptography;
using RecordKv.Atproto.Cids;

namespace RecordKv.Atproto.Tests.Cids;

public sealed class Sha256Tests
{
    [Fact]
    public void Hash_EveryLengthAroundTheBlockSizeAndTheLimits_EqualsTheBclSha256()
    {
        var ours = new byte[32];
        foreach (var length in Lengths())
        {
            var data = RandomBytes(length);

            Sha256.Hash(data, ours);

            ours.ShouldBe(SHA256.HashData(data), $"length {length}");
        }
    }

    [Fact]
    public void Hash_Abc_EqualsTheFips180Vector()
    {
        var ours = new byte[32];

        Sha256.Hash("abc"u8, ours);

        Convert.ToHexStringLower(ours).ShouldBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    [Fact]
    public void IsAvailable_OnDebianWithOpenSsl3_IsTrue()
    {
        // The fast path is what the benchmarks measure; a machine without it would silently lose it.
        LibCryptoSha256.IsAvailable().ShouldBeTrue();
    }

    [Fact]
    public void LibCryptoHash_EveryLengthAroundTheBlockSizeAndTheLimits_EqualsTheBclSha256()
    {
        var ours = new byte[32];
        foreach (var length in Lengths())
        {
            var data = RandomBytes(length);

            LibCryptoSha256.Hash(data, ours);

            ours.ShouldBe(SHA256.HashData(data), $"length {length}");
        }
    }

    [Fact]
    public void ManagedHash_EveryLengthUpTo300_EqualsTheBclSha256()
    {
        var random = new Random(1);
        var ours = new byte[32];
        for (var length = 0; length <= 300; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);

            ManagedSha256.Hash(data, ours);

            ours.ShouldBe(SHA256.HashData(data), $"length {length}");
        }
    }

    // Every length up to 300 (around the 64-byte block and padding boundaries), then around the limits.
    private static IEnumerable<int> Lengths()
    {
        for (var length = 0; length <= 300; length++)
        {
            yield return length;
        }

        foreach (var length in new[] { 1000, Sha256.NativeLimit - 1, Sha256.NativeLimit, Sha256.NativeLimit + 1, 100_000 })
        {
            yield return length;
        }
    }

    private static byte[] RandomBytes(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        return data;
    }
}
