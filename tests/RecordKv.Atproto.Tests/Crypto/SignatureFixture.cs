using System.Text.Json;
using System.Text.Json.Serialization;
using RecordKv.Atproto.Crypto;
using RecordKv.Testing;

namespace RecordKv.Atproto.Tests.Crypto;

/// <summary>One entry of atproto-interop <c>crypto/signature-fixtures.json</c>.</summary>
public sealed record SignatureFixture(
    [property: JsonPropertyName("comment")] string Comment,
    [property: JsonPropertyName("messageBase64")] string MessageBase64,
    [property: JsonPropertyName("algorithm")] string Algorithm,
    [property: JsonPropertyName("didDocSuite")] string DidDocSuite,
    [property: JsonPropertyName("publicKeyDid")] string PublicKeyDid,
    [property: JsonPropertyName("publicKeyMultibase")] string PublicKeyMultibase,
    [property: JsonPropertyName("signatureBase64")] string SignatureBase64,
    [property: JsonPropertyName("validSignature")] bool ValidSignature,
    [property: JsonPropertyName("tags")] string[] Tags)
{
    /// <summary>The curve named by the fixture's JWT algorithm.</summary>
    public KeyAlgorithm KeyAlgorithm => Algorithm switch
    {
        "ES256K" => KeyAlgorithm.K256,
        "ES256" => KeyAlgorithm.P256,
        _ => throw new InvalidOperationException($"Unknown fixture algorithm {Algorithm}"),
    };

    /// <summary>The signed message.</summary>
    public byte[] Message => DecodeUnpaddedBase64(MessageBase64);

    /// <summary>The signature bytes as given (not always 64 bytes: some are DER).</summary>
    public byte[] Signature => DecodeUnpaddedBase64(SignatureBase64);

    /// <summary>All fixtures, as xunit rows of their comments (xunit shows them as test names).</summary>
    public static TheoryData<string> Comments()
    {
        var data = new TheoryData<string>();
        foreach (var fixture in All())
        {
            data.Add(fixture.Comment);
        }

        return data;
    }

    /// <summary>All fixtures.</summary>
    public static IReadOnlyList<SignatureFixture> All() =>
        JsonSerializer.Deserialize<SignatureFixture[]>(File.ReadAllText(SharedFixtures.Path("atproto-interop", "crypto", "signature-fixtures.json")))!;

    /// <summary>The fixture with the given comment.</summary>
    public static SignatureFixture ByComment(string comment) => All().Single(fixture => fixture.Comment == comment);

    private static byte[] DecodeUnpaddedBase64(string value)
    {
        var padded = value.PadRight(value.Length + ((4 - (value.Length % 4)) % 4), '=');
        return Convert.FromBase64String(padded);
    }
}
