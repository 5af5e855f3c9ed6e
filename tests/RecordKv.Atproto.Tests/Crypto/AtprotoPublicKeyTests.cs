using RecordKv.Atproto.Crypto;
using RecordKv.Testing;
using SimpleBase;

namespace RecordKv.Atproto.Tests.Crypto;

public sealed class AtprotoPublicKeyTests
{
    [Theory]
    [MemberData(nameof(SignatureFixture.Comments), MemberType = typeof(SignatureFixture))]
    public void ParseDidKey_InteropFixtureKey_FormatsBackToSameDidKey(string comment)
    {
        var fixture = SignatureFixture.ByComment(comment);

        var key = AtprotoPublicKey.ParseDidKey(fixture.PublicKeyDid);

        key.Algorithm.ShouldBe(fixture.KeyAlgorithm);
        key.JwtAlgorithm.ShouldBe(fixture.Algorithm);
        key.ToDidKey().ShouldBe(fixture.PublicKeyDid);
        key.ToString().ShouldBe(fixture.PublicKeyDid);
        AtprotoPublicKey.ParseMultikey(key.ToMultikey()).ShouldBe(key);
    }

    [Theory]
    [MemberData(nameof(SignatureFixture.Comments), MemberType = typeof(SignatureFixture))]
    public void ParseLegacyMultibase_InteropFixtureKey_EqualsItsDidKey(string comment)
    {
        var fixture = SignatureFixture.ByComment(comment);
        var algorithm = fixture.DidDocSuite == "EcdsaSecp256k1VerificationKey2019" ? KeyAlgorithm.K256 : KeyAlgorithm.P256;

        var key = AtprotoPublicKey.ParseLegacyMultibase(algorithm, fixture.PublicKeyMultibase);

        key.ToDidKey().ShouldBe(fixture.PublicKeyDid);
        key.ShouldBe(AtprotoPublicKey.ParseDidKey(fixture.PublicKeyDid));
    }

    [Fact]
    public void ParseLegacyMultibase_UncompressedK256FromRealDidDocument_RoundTripsThroughCompressedForm()
    {
        // greenground.didDoc.json (indigo testdata): the 65-byte uncompressed point, no multicodec prefix.
        const string legacy = "zQYEBzXeuTM9UR3rfvNag6L3RNAs5pQZyYPsomTsgQhsxLdEgCrPTLgFna8yqCnxPpNT7DBk6Ym3dgPKNu86vt9GR";

        var key = AtprotoPublicKey.ParseLegacyMultibase(KeyAlgorithm.K256, legacy);

        key.ToUncompressedPoint().ShouldBe(Base58.Bitcoin.Decode(legacy.AsSpan(1)));
        key.CompressedPoint.Length.ShouldBe(33);
        AtprotoPublicKey.ParseDidKey(key.ToDidKey()).ShouldBe(key);
    }

    [Theory]
    [InlineData(KeyAlgorithm.K256, "did:key:zQ3shqwJEJyMBsBXCWyCBpUBMqxcon9oHB7mCvx4sSpMdLJwc")]
    [InlineData(KeyAlgorithm.P256, "did:key:zDnaembgSGUhZULN2Caob4HLJPaxBh92N7rtH21TErzqf8HQo")]
    public void FromPoint_UncompressedPoint_EqualsCompressedKey(KeyAlgorithm algorithm, string didKey)
    {
        var key = AtprotoPublicKey.ParseDidKey(didKey);

        var uncompressed = key.ToUncompressedPoint();
        var again = AtprotoPublicKey.FromPoint(algorithm, uncompressed);

        uncompressed[0].ShouldBe((byte)0x04);
        again.ShouldBe(key);
        again.GetHashCode().ShouldBe(key.GetHashCode());
        again.ToDidKey().ShouldBe(didKey);
    }

    [Fact]
    public void ParseDidKey_W3cFixtureKeys_RoundTrip()
    {
        foreach (var file in new[] { "w3c_didkey_K256.json", "w3c_didkey_P256.json" })
        {
            var text = File.ReadAllText(SharedFixtures.Path("atproto-interop", "crypto", file));
            using var document = System.Text.Json.JsonDocument.Parse(text);
            foreach (var entry in document.RootElement.EnumerateArray())
            {
                var didKey = entry.GetProperty("publicDidKey").GetString()!;
                AtprotoPublicKey.ParseDidKey(didKey).ToDidKey().ShouldBe(didKey);
            }
        }
    }

    [Theory]
    [InlineData("zQ3shqwJEJyMBsBXCWyCBpUBMqxcon9oHB7mCvx4sSpMdLJwc", "must start with 'did:key:'")]
    [InlineData("did:web:example.com", "must start with 'did:key:'")]
    [InlineData("did:key:", "is empty")]
    [InlineData("did:key:z", "no key after the multibase prefix")]
    [InlineData("did:key:bQ3shqwJEJyMBsBXCWyCBpUBMqxcon9oHB7mCvx4sSpMdLJwc", "starts with 'b'")]
    [InlineData("did:key:zQ3shqwJEJyMBsBXCWyCBpUBMqxcon9oHB7mCvx4sSpMdLJw0", "not valid base58btc")]
    [InlineData("did:key:zQ3shqwJEJyMBsBXCWyCBpUBMqxcon9oHB7mCvx4sSpMdLJwcI", "not valid base58btc")]
    [InlineData("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", "unsupported multicodec prefix 0xED01")]
    [InlineData("did:key:z6DtN32RkLw13TmygmQ9swFmVHXj6cc59CMZfxGeadfNST8E", "K256 key of 32 bytes")]
    [InlineData("did:key:z2kjgoGzf3kKi6xVSHqH2NkWxj16V3UHqGPer7f845ex23NEC1W", "K256 key of 34 bytes")]
    [InlineData("did:key:z7r8oopWE7sLrHCgHckFj5ra24bM4vV4t6ewQsn2rG6mqKjeDh2i4UJnBsnhMCaBYTv3YnKeUUZf7Tuw5ibDHA7d48wWY", "atproto requires the 33-byte compressed point")]
    public void ParseDidKey_Malformed_ThrowsKeyFormatExceptionNamingTheProblem(string didKey, string expectedMessagePart)
    {
        var exception = Should.Throw<KeyFormatException>(() => AtprotoPublicKey.ParseDidKey(didKey));

        exception.Message.ShouldContain(expectedMessagePart);
        AtprotoPublicKey.TryParseDidKey(didKey, out var key).ShouldBeFalse();
        key.ShouldBeNull();
    }

    [Fact]
    public void ParseDidKey_TooLong_ThrowsBeforeDecoding()
    {
        var didKey = "did:key:z" + new string('Q', 200);

        Should.Throw<KeyFormatException>(() => AtprotoPublicKey.ParseDidKey(didKey)).Message.ShouldContain("at most 128");
    }

    [Theory]
    [InlineData(KeyAlgorithm.K256, 32, 0x02, "33 bytes (compressed) or 65 bytes (uncompressed), not 32")]
    [InlineData(KeyAlgorithm.P256, 34, 0x02, "not 34")]
    [InlineData(KeyAlgorithm.K256, 33, 0x04, "cannot start with 0x04")]
    [InlineData(KeyAlgorithm.P256, 65, 0x02, "cannot start with 0x02")]
    [InlineData(KeyAlgorithm.K256, 33, 0x02, "not a point on the secp256k1 curve")]
    [InlineData(KeyAlgorithm.P256, 33, 0x02, "not a point on the curve")]
    [InlineData(KeyAlgorithm.K256, 65, 0x04, "not a point on the secp256k1 curve")]
    [InlineData(KeyAlgorithm.P256, 65, 0x04, "not a point on the curve")]
    public void FromPoint_NotAPoint_ThrowsKeyFormatException(KeyAlgorithm algorithm, int length, byte firstByte, string expectedMessagePart)
    {
        // x = 0xFF..FF is above the field prime of both curves, so it is never a point.
        var bytes = Enumerable.Repeat((byte)0xFF, length).ToArray();
        bytes[0] = firstByte;

        Should.Throw<KeyFormatException>(() => AtprotoPublicKey.FromPoint(algorithm, bytes)).Message.ShouldContain(expectedMessagePart);
    }

    [Fact]
    public void FromPoint_UncompressedPointOffTheCurve_Throws()
    {
        var point = AtprotoPublicKey.ParseDidKey("did:key:zDnaembgSGUhZULN2Caob4HLJPaxBh92N7rtH21TErzqf8HQo").ToUncompressedPoint();
        point[64] ^= 1;

        Should.Throw<KeyFormatException>(() => AtprotoPublicKey.FromPoint(KeyAlgorithm.P256, point));
    }

    [Fact]
    public void Equals_DifferentKeys_AreNotEqual()
    {
        var k256 = AtprotoPublicKey.ParseDidKey("did:key:zQ3shqwJEJyMBsBXCWyCBpUBMqxcon9oHB7mCvx4sSpMdLJwc");
        var otherK256 = AtprotoPublicKey.ParseDidKey("did:key:zQ3shnriYMXc8wvkbJqfNWh5GXn2bVAeqTC92YuNbek4npqGF");
        var p256 = AtprotoPublicKey.ParseDidKey("did:key:zDnaembgSGUhZULN2Caob4HLJPaxBh92N7rtH21TErzqf8HQo");

        k256.ShouldNotBe(otherK256);
        k256.Equals(p256).ShouldBeFalse();
        k256.Equals(null).ShouldBeFalse();
    }
}
