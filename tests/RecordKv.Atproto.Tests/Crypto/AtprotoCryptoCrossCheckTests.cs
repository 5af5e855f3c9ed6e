using System.Text;
using System.Text.Json.Nodes;
using RecordKv.Atproto.Crypto;

namespace RecordKv.Atproto.Tests.Crypto;

/// <summary>Checks keys and signatures against Bluesky's own @atproto/crypto (run through Node).</summary>
public sealed class AtprotoCryptoCrossCheckTests
{
    [Fact]
    public void Sign_K256_ProducesTheSameSignatureAsAtprotoCrypto()
    {
        // Both sides use RFC 6979 nonces and low S, so k256 signatures must match byte for byte.
        var keys = Enumerable.Range(0, 8).Select(i => AtprotoPrivateKey.FromSeed(KeyAlgorithm.K256, $"cross-check {i}")).ToArray();
        var messages = keys.Select((_, i) => Encoding.UTF8.GetBytes($"message number {i} " + new string('x', i * 37))).ToArray();
        var requests = new JsonArray();
        for (var i = 0; i < keys.Length; i++)
        {
            requests.Add(AtprotoCryptoScript.SignRequest("ES256K", keys[i].ExportSecret(), messages[i]));
        }

        var answers = AtprotoCryptoScript.Run(requests);

        for (var i = 0; i < keys.Length; i++)
        {
            answers[i]!["didKey"]!.GetValue<string>().ShouldBe(keys[i].ToDidKey());
            Convert.FromBase64String(answers[i]!["signatureBase64"]!.GetValue<string>()).ShouldBe(keys[i].Sign(messages[i]));
            keys[i].Dispose();
        }
    }

    [Fact]
    public void Verify_P256_AcceptsAtprotoCryptoSignaturesAndTheyAcceptOurs()
    {
        var keys = Enumerable.Range(0, 8).Select(i => AtprotoPrivateKey.FromSeed(KeyAlgorithm.P256, $"cross-check {i}")).ToArray();
        var message = "the same message"u8.ToArray();
        var requests = new JsonArray();
        foreach (var key in keys)
        {
            requests.Add(AtprotoCryptoScript.SignRequest("ES256", key.ExportSecret(), message));
        }

        foreach (var key in keys)
        {
            requests.Add(AtprotoCryptoScript.VerifyRequest(key.ToDidKey(), message, key.Sign(message)));
        }

        var answers = AtprotoCryptoScript.Run(requests);

        for (var i = 0; i < keys.Length; i++)
        {
            answers[i]!["didKey"]!.GetValue<string>().ShouldBe(keys[i].ToDidKey());
            keys[i].PublicKey.Verify(message, Convert.FromBase64String(answers[i]!["signatureBase64"]!.GetValue<string>())).ShouldBeTrue();
            answers[keys.Length + i]!["valid"]!.GetValue<bool>().ShouldBeTrue(AtprotoCryptoScript.Describe(answers[keys.Length + i]!));
            keys[i].Dispose();
        }
    }

    [Fact]
    public void Verify_HighSSignature_RejectedByBothSides()
    {
        using var k256 = AtprotoPrivateKey.FromSeed(KeyAlgorithm.K256, "high-s");
        using var p256 = AtprotoPrivateKey.FromSeed(KeyAlgorithm.P256, "high-s");
        var message = "malleable?"u8.ToArray();
        var k256HighS = EcdsaSignature.ToHighS(KeyAlgorithm.K256, k256.Sign(message));
        var p256HighS = EcdsaSignature.ToHighS(KeyAlgorithm.P256, p256.Sign(message));

        var answers = AtprotoCryptoScript.Run(
        [
            AtprotoCryptoScript.VerifyRequest(k256.ToDidKey(), message, k256HighS),
            AtprotoCryptoScript.VerifyRequest(p256.ToDidKey(), message, p256HighS),
        ]);

        answers[0]!["valid"]!.GetValue<bool>().ShouldBeFalse();
        answers[1]!["valid"]!.GetValue<bool>().ShouldBeFalse();
        k256.PublicKey.Verify(message, k256HighS).ShouldBeFalse();
        p256.PublicKey.Verify(message, p256HighS).ShouldBeFalse();
    }
}
