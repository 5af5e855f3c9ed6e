using System.Security.Cryptography;
using RecordKv.Atproto.Crypto;

namespace RecordKv.Atproto.Tests.Crypto;

public sealed class SignatureVerificationTests
{
    private const string K256ValidComment = "valid K-256 key and signature, with low-S signature";
    private const string P256ValidComment = "valid P-256 key and signature, with low-S signature";

    [Theory]
    [MemberData(nameof(SignatureFixture.Comments), MemberType = typeof(SignatureFixture))]
    public void Verify_InteropFixture_GivesFixtureValidity(string comment)
    {
        var fixture = SignatureFixture.ByComment(comment);
        var key = AtprotoPublicKey.ParseDidKey(fixture.PublicKeyDid);

        key.Verify(fixture.Message, fixture.Signature).ShouldBe(fixture.ValidSignature);
    }

    [Theory]
    [MemberData(nameof(SignatureFixture.Comments), MemberType = typeof(SignatureFixture))]
    public void VerifyHash_InteropFixtureWithLegacyKey_GivesFixtureValidity(string comment)
    {
        var fixture = SignatureFixture.ByComment(comment);
        var key = AtprotoPublicKey.ParseLegacyMultibase(fixture.KeyAlgorithm, fixture.PublicKeyMultibase);

        key.VerifyHash(SHA256.HashData(fixture.Message), fixture.Signature).ShouldBe(fixture.ValidSignature);
    }

    [Theory]
    [InlineData(K256ValidComment)]
    [InlineData(P256ValidComment)]
    public void Verify_HighSTwinOfValidSignature_IsRejected(string comment)
    {
        var fixture = SignatureFixture.ByComment(comment);
        var key = AtprotoPublicKey.ParseDidKey(fixture.PublicKeyDid);

        var highS = EcdsaSignature.ToHighS(fixture.KeyAlgorithm, fixture.Signature);

        EcdsaSignature.IsLowS(fixture.KeyAlgorithm, highS).ShouldBeFalse();
        key.Verify(fixture.Message, highS).ShouldBeFalse();
        key.Verify(fixture.Message, fixture.Signature).ShouldBeTrue();
    }

    [Fact]
    public void ToHighS_HighSFixture_EqualsInteropHighSSignature()
    {
        // The interop high-S fixtures are the n - s twins of the valid ones: the rejection is about S alone.
        foreach (var (valid, high) in new[]
        {
            (K256ValidComment, "K-256 key and signature, with non-low-S signature which is invalid in atproto"),
            (P256ValidComment, "P-256 key and signature, with non-low-S signature which is invalid in atproto"),
        })
        {
            var validFixture = SignatureFixture.ByComment(valid);
            EcdsaSignature.ToHighS(validFixture.KeyAlgorithm, validFixture.Signature).ShouldBe(SignatureFixture.ByComment(high).Signature);
        }
    }

    [Fact]
    public void Verify_HighSP256_IsMathematicallyValidForOpenSsl()
    {
        // Guards the low-S rule: OpenSSL accepts the high-S signature, so only our check rejects it.
        var fixture = SignatureFixture.ByComment("P-256 key and signature, with non-low-S signature which is invalid in atproto");
        var key = AtprotoPublicKey.ParseDidKey(fixture.PublicKeyDid);
        var point = key.ToUncompressedPoint();
        using var ecdsa = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = point[1..33], Y = point[33..] },
        });

        ecdsa.VerifyData(fixture.Message, fixture.Signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation).ShouldBeTrue();
        key.Verify(fixture.Message, fixture.Signature).ShouldBeFalse();
    }

    [Theory]
    [InlineData(K256ValidComment)]
    [InlineData(P256ValidComment)]
    public void Verify_AlteredMessageOrSignature_IsRejected(string comment)
    {
        var fixture = SignatureFixture.ByComment(comment);
        var key = AtprotoPublicKey.ParseDidKey(fixture.PublicKeyDid);

        var message = fixture.Message;
        message[0] ^= 1;
        key.Verify(message, fixture.Signature).ShouldBeFalse();

        for (var index = 0; index < EcdsaSignature.Length; index += 21)
        {
            var signature = fixture.Signature;
            signature[index] ^= 0x10;
            key.Verify(fixture.Message, signature).ShouldBeFalse($"byte {index} flipped");
        }
    }

    [Theory]
    [InlineData(K256ValidComment, 0, 63)]
    [InlineData(K256ValidComment, 0, 65)]
    [InlineData(K256ValidComment, 0, 0)]
    [InlineData(P256ValidComment, 0, 63)]
    [InlineData(P256ValidComment, 0, 65)]
    public void Verify_SignatureOfWrongLength_IsRejected(string comment, int start, int length)
    {
        var fixture = SignatureFixture.ByComment(comment);
        var key = AtprotoPublicKey.ParseDidKey(fixture.PublicKeyDid);
        var signature = new byte[length];
        fixture.Signature.AsSpan(start, Math.Min(length, 64)).CopyTo(signature);

        key.Verify(fixture.Message, signature).ShouldBeFalse();
    }

    [Theory]
    [InlineData(K256ValidComment, "r-zero")]
    [InlineData(K256ValidComment, "s-zero")]
    [InlineData(K256ValidComment, "r-max")]
    [InlineData(K256ValidComment, "s-max")]
    [InlineData(P256ValidComment, "r-zero")]
    [InlineData(P256ValidComment, "s-zero")]
    [InlineData(P256ValidComment, "r-max")]
    [InlineData(P256ValidComment, "s-max")]
    public void Verify_ScalarOutOfRange_IsRejected(string comment, string corruption)
    {
        var fixture = SignatureFixture.ByComment(comment);
        var key = AtprotoPublicKey.ParseDidKey(fixture.PublicKeyDid);
        var signature = fixture.Signature;
        var target = corruption.StartsWith('r') ? signature.AsSpan(0, 32) : signature.AsSpan(32, 32);
        target.Fill(corruption.EndsWith("zero", StringComparison.Ordinal) ? (byte)0 : (byte)0xFF);

        key.Verify(fixture.Message, signature).ShouldBeFalse();
    }

    [Fact]
    public void VerifyHash_HashOfWrongLength_IsRejected()
    {
        var fixture = SignatureFixture.ByComment(K256ValidComment);
        var key = AtprotoPublicKey.ParseDidKey(fixture.PublicKeyDid);
        var hash = SHA256.HashData(fixture.Message);

        key.VerifyHash(hash, fixture.Signature).ShouldBeTrue();
        key.VerifyHash(hash.AsSpan(0, 31), fixture.Signature).ShouldBeFalse();
        key.VerifyHash(fixture.Message, fixture.Signature).ShouldBeFalse();
    }

    [Fact]
    public void Verify_SignatureOfOtherKey_IsRejected()
    {
        var fixture = SignatureFixture.ByComment(K256ValidComment);
        var otherKey = AtprotoPublicKey.ParseDidKey("did:key:zQ3shnriYMXc8wvkbJqfNWh5GXn2bVAeqTC92YuNbek4npqGF");

        otherKey.Verify(fixture.Message, fixture.Signature).ShouldBeFalse();
    }

    [Fact]
    public void Verify_ManyThreadsOnOneKey_AllSucceed()
    {
        var fixture = SignatureFixture.ByComment(K256ValidComment);
        var key = AtprotoPublicKey.ParseDidKey(fixture.PublicKeyDid);
        var p256Fixture = SignatureFixture.ByComment(P256ValidComment);
        var p256Key = AtprotoPublicKey.ParseDidKey(p256Fixture.PublicKeyDid);
        var failures = 0;

        Parallel.For(0, 2000, i =>
        {
            var ok = i % 2 == 0
                ? key.Verify(fixture.Message, fixture.Signature)
                : p256Key.Verify(p256Fixture.Message, p256Fixture.Signature);
            if (!ok)
            {
                Interlocked.Increment(ref failures);
            }
        });

        failures.ShouldBe(0);
    }

    [Fact]
    public void ToHighS_SignatureAlreadyHighOrMalformed_Throws()
    {
        var fixture = SignatureFixture.ByComment("K-256 key and signature, with non-low-S signature which is invalid in atproto");

        Should.Throw<ArgumentException>(() => EcdsaSignature.ToHighS(KeyAlgorithm.K256, fixture.Signature));
        Should.Throw<ArgumentException>(() => EcdsaSignature.ToHighS(KeyAlgorithm.K256, new byte[63]));
    }
}
