using System.Security.Cryptography;
using RecordKv.Atproto.Crypto;
using RecordKv.Simulator.Encoding;

namespace RecordKv.Simulator.Tests;

public sealed class DeterministicP256SignerTests
{
    [Theory]
    [InlineData("seed-a", "")]
    [InlineData("seed-a", "a commit")]
    [InlineData("seed-b", "another commit, longer than one block of SHA-256 input to be sure nothing depends on the size")]
    public void Sign_Twice_GivesSameLowSSignatureThatVerifies(string seed, string message)
    {
        var key = AtprotoPrivateKey.FromSeed(KeyAlgorithm.P256, seed);
        var signer = new SimSigner(key);
        var data = System.Text.Encoding.UTF8.GetBytes(message);
        var first = new byte[64];
        var second = new byte[64];

        signer.Sign(data, first);
        signer.Sign(data, second);

        second.ShouldBe(first);
        EcdsaSignature.IsLowS(KeyAlgorithm.P256, first).ShouldBeTrue();
        key.PublicKey.Verify(data, first).ShouldBeTrue();
    }

    [Fact]
    public void Sign_ManyMessages_AllVerifyWithTheBclToo()
    {
        var key = AtprotoPrivateKey.FromSeed(KeyAlgorithm.P256, "bcl");
        var signer = new SimSigner(key);
        var point = key.PublicKey.ToUncompressedPoint();
        using var ecdsa = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = point[1..33], Y = point[33..] } });
        var signature = new byte[64];
        for (var i = 0; i < 200; i++)
        {
            var data = BitConverter.GetBytes(i * 7919);
            signer.Sign(data, signature);
            ecdsa.VerifyData(data, signature, HashAlgorithmName.SHA256).ShouldBeTrue($"message {i}");
        }
    }
}
