using System.Text.Json.Nodes;
using RecordKv.Atproto.Crypto;
using RecordKv.Atproto.Identity;
using RecordKv.Atproto.Tests.Crypto;
using RecordKv.Testing;

namespace RecordKv.Atproto.Tests.Identity;

/// <summary>Checks <see cref="DidDocument"/> against Bluesky's @atproto/identity on the same documents.</summary>
public sealed class DidDocumentCrossCheckTests
{
    [Fact]
    public void Parse_RealAndGeneratedDocuments_AgreesWithAtprotoIdentity()
    {
        using var k256 = AtprotoPrivateKey.FromSeed(KeyAlgorithm.K256, "identity cross-check");
        using var p256 = AtprotoPrivateKey.FromSeed(KeyAlgorithm.P256, "identity cross-check");
        var documents = new List<byte[]>
        {
            File.ReadAllBytes(SharedFixtures.Path("real", "repos", "greenground.didDoc.json")),
            File.ReadAllBytes(SharedFixtures.Path("real", "repos", "paul_staging.didDoc.json")),
            DidDocument.Create("did:plc:k256account", "k256.example.com", k256.PublicKey, new Uri("https://pds.example.com")).ToUtf8Json(),
            DidDocument.Create("did:web:p256.example.com", "p256.example.com", p256.PublicKey, new Uri("https://pds.example.com:8443")).ToUtf8Json(),
        };
        var requests = new JsonArray();
        foreach (var document in documents)
        {
            requests.Add(new JsonObject { ["op"] = "didDoc", ["document"] = JsonNode.Parse(document) });
        }

        var answers = AtprotoCryptoScript.Run(requests);

        for (var i = 0; i < documents.Count; i++)
        {
            var ours = DidDocument.Parse(documents[i]);
            var theirs = answers[i]!;
            ours.Id.ShouldBe(theirs["did"]!.GetValue<string>());
            ours.Handle.ShouldBe(theirs["handle"]!.GetValue<string>());
            ours.SigningKey.ShouldNotBeNull().ToDidKey().ShouldBe(theirs["signingKey"]!.GetValue<string>());
            ours.PdsEndpoint.ShouldBe(new Uri(theirs["pds"]!.GetValue<string>()));
        }
    }
}
