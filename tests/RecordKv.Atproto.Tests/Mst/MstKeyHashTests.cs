using System.Security.Cryptography;
using RecordKv.Atproto.Mst;

namespace RecordKv.Atproto.Tests.Mst;

public sealed class MstKeyHashTests
{
    [Fact]
    public void Hash_EveryLengthUpTo300_EqualsTheBclSha256()
    {
        var random = new Random(1);
        var ours = new byte[32];
        for (var length = 0; length <= 300; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);

            MstKeyHash.Hash(data, ours);

            ours.ShouldBe(SHA256.HashData(data), $"length {length}");
        }
    }

    [Fact]
    public void Hash_Abc_EqualsTheFips180Vector()
    {
        var ours = new byte[32];

        MstKeyHash.Hash("abc"u8, ours);

        Convert.ToHexStringLower(ours).ShouldBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
