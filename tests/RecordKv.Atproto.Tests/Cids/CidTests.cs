using System.Text;
using RecordKv.Atproto.Cids;
using RecordKv.Testing;

namespace RecordKv.Atproto.Tests.Cids;

public sealed class CidTests
{
    // The interop fixture's first record: its CBOR bytes and their CID, computed by the reference implementation.
    private const string FixtureCbor = "p2Rib29s9WRudWxs9mVhcnJheYNjYWJjY2RlZmNnaGlmb2JqZWN0pGNhcnKDY2FiY2NkZWZjZ2hpZGJvb2z1Zm51bWJlchh7ZnN0cmluZ2NhYmNmc3RyaW5nY2FiY2dpbnRlZ2VyGHtndW5pY29kZXgvYX7DtsOxwqnivZjimI7wk4uT8J+YgPCfkajigI3wn5Gp4oCN8J+Rp+KAjfCfkac";
    private const string FixtureCid = "bafyreiclp443lavogvhj3d2ob2cxbfuscni2k5jk7bebjzg7khl3esabwq";
    private const string BlobCid = "bafkreiccldh766hwcnuxnf2wh6jgzepf2nlu2lvcllt63eww5p6chi4ity";

    [Fact]
    public void ForDagCbor_InteropFixtureBlock_EqualsFixtureCid()
    {
        var block = Convert.FromBase64String(PadBase64(FixtureCbor));

        var cid = Cid.ForDagCbor(block);

        cid.ToString().ShouldBe(FixtureCid);
        cid.Codec.ShouldBe(CidCodec.DagCbor);
        cid.Matches(block).ShouldBeTrue();
    }

    [Fact]
    public void Matches_ChangedContent_ReturnsFalse()
    {
        var block = Convert.FromBase64String(PadBase64(FixtureCbor));
        var cid = Cid.ForDagCbor(block);
        block[^1] ^= 1;

        cid.Matches(block).ShouldBeFalse();
    }

    [Fact]
    public void ForRaw_Content_HasRawCodecAndPrefix()
    {
        var cid = Cid.ForRaw(Encoding.UTF8.GetBytes("blob"));

        cid.Codec.ShouldBe(CidCodec.Raw);
        cid.ToString().ShouldStartWith("bafkrei");
        cid.Digest.ToArray().ShouldBe(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes("blob")));
    }

    [Theory]
    [InlineData(FixtureCid)]
    [InlineData(BlobCid)]
    [InlineData("bafyreidfayvfuwqa7qlnopdjiqrxzs6blmoeu4rujcjtnci5beludirz2a")]
    public void Parse_ValidText_RoundTripsThroughTextAndBinary(string text)
    {
        var cid = Cid.Parse(text);

        cid.ToString().ShouldBe(text);
        var bytes = cid.ToBytes();
        bytes.Length.ShouldBe(Cid.EncodedLength);
        var read = Cid.Read(bytes, out var consumed);
        consumed.ShouldBe(Cid.EncodedLength);
        read.ShouldBe(cid);
        read.GetHashCode().ShouldBe(cid.GetHashCode());
    }

    [Fact]
    public void Equals_DifferentCodecSameDigest_AreDifferent()
    {
        var content = Encoding.UTF8.GetBytes("same");

        var raw = Cid.ForRaw(content);
        var dagCbor = Cid.ForDagCbor(content);

        raw.Digest.SequenceEqual(dagCbor.Digest).ShouldBeTrue();
        (raw == dagCbor).ShouldBeFalse();
        raw.Equals(dagCbor).ShouldBeFalse();
    }

    [Fact]
    public void Cid_AsDictionaryKey_FindsEqualValue()
    {
        var map = new Dictionary<Cid, int> { [Cid.Parse(FixtureCid)] = 7 };

        map[Cid.Parse(FixtureCid)].ShouldBe(7);
        map.ContainsKey(Cid.Parse(BlobCid)).ShouldBeFalse();
    }

    [Fact]
    public void TryParse_InteropInvalidCids_AreRejected()
    {
        var count = 0;
        foreach (var line in SharedFixtures.ReadInteropLines("atproto-interop", "syntax", "cid_syntax_invalid.txt"))
        {
            Cid.TryParse(line, out _).ShouldBeFalse(line);
            Should.Throw<CidFormatException>(() => Cid.Parse(line));
            count++;
        }

        count.ShouldBeGreaterThan(5);
    }

    [Theory]
    // dag-pb (0x70) is valid CID syntax but not a codec atproto links to.
    [InlineData("bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi")]
    // upper case is another multibase ('B'), not ours
    [InlineData("BAFYREICLP443LAVOGVHJ3D2OB2CXBFUSCNI2K5JK7BEBJZG7KHL3ESABWQ")]
    // one character short, one too long, a character outside the alphabet, non-zero trailing bits
    [InlineData("bafyreiclp443lavogvhj3d2ob2cxbfuscni2k5jk7bebjzg7khl3esabw")]
    [InlineData("bafyreiclp443lavogvhj3d2ob2cxbfuscni2k5jk7bebjzg7khl3esabwqa")]
    [InlineData("bafyreiclp443lavogvhj3d2ob2cxbfuscni2k5jk7bebjzg7khl3esab1q")]
    [InlineData("bafyreiclp443lavogvhj3d2ob2cxbfuscni2k5jk7bebjzg7khl3esabwr")]
    [InlineData("")]
    public void Parse_UnsupportedOrMalformedText_Throws(string text)
    {
        Cid.TryParse(text, out _).ShouldBeFalse();
        Should.Throw<CidFormatException>(() => Cid.Parse(text));
    }

    [Theory]
    [InlineData("", "no bytes")]
    [InlineData("1220", "CIDv0")]
    [InlineData("02711220", "version")]
    [InlineData("01701220", "codec 0x70")]
    [InlineData("01711320", "multihash 0x13")]
    [InlineData("01711210", "length 16")]
    [InlineData("0171122000", "truncated digest")]
    public void Read_MalformedBinary_ThrowsNamingTheProblem(string hex, string expected)
    {
        var bytes = Convert.FromHexString(hex);

        Cid.TryRead(bytes, out _, out var consumed).ShouldBeFalse();
        consumed.ShouldBe(0);
        var error = Should.Throw<CidFormatException>(() => Cid.Read(bytes, out _));
        error.Message.ShouldContain(expected);
    }

    [Fact]
    public void WriteTo_ShortDestination_Throws()
    {
        var cid = Cid.Parse(FixtureCid);

        Should.Throw<ArgumentException>(() => cid.WriteTo(new byte[Cid.EncodedLength - 1]));
    }

    [Fact]
    public void Default_IsDefaultAndFormatsEmpty()
    {
        default(Cid).IsDefault.ShouldBeTrue();
        default(Cid).ToString().ShouldBe(string.Empty);
        Cid.Parse(FixtureCid).IsDefault.ShouldBeFalse();
    }

    private static string PadBase64(string unpadded) => unpadded.PadRight((unpadded.Length + 3) / 4 * 4, '=');
}
