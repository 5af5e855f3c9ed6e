using System.Text;
using RecordKv.Atproto.Crypto;
using RecordKv.Atproto.Identity;
using RecordKv.Testing;

namespace RecordKv.Atproto.Tests.Identity;

public sealed class DidDocumentTests
{
    // The current PLC format: Multikey, ids written with the DID.
    private const string CurrentFormatDocument = """
        {
          "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1", "https://w3id.org/security/suites/secp256k1-2019/v1"],
          "id": "did:plc:ewvi7nxzyoun6zhxrhs64oiz",
          "alsoKnownAs": ["https://example.com/profile", "at://Atproto.com", "at://second.example.com"],
          "verificationMethod": [
            { "id": "did:plc:ewvi7nxzyoun6zhxrhs64oiz#other", "type": "Multikey", "controller": "did:plc:ewvi7nxzyoun6zhxrhs64oiz", "publicKeyMultibase": "zDnaembgSGUhZULN2Caob4HLJPaxBh92N7rtH21TErzqf8HQo" },
            { "id": "did:plc:ewvi7nxzyoun6zhxrhs64oiz#atproto", "type": "Multikey", "controller": "did:plc:ewvi7nxzyoun6zhxrhs64oiz", "publicKeyMultibase": "zQ3shqwJEJyMBsBXCWyCBpUBMqxcon9oHB7mCvx4sSpMdLJwc" }
          ],
          "service": [
            { "id": "#atproto_labeler", "type": "AtprotoLabeler", "serviceEndpoint": "https://labeler.example.com" },
            { "id": "#atproto_pds", "type": "AtprotoPersonalDataServer", "serviceEndpoint": "https://enoki.us-east.host.bsky.network" }
          ]
        }
        """;

    [Fact]
    public void Parse_GreengroundDocument_ReadsLegacyUncompressedK256Key()
    {
        var document = DidDocument.Parse(File.ReadAllBytes(SharedFixtures.Path("real", "repos", "greenground.didDoc.json")));

        document.Id.ShouldBe("did:plc:wqgdnqlv2mwiio6pfchwtrff");
        document.Handle.ShouldBe("greenground.bsky.social");
        document.AlsoKnownAs.ShouldBe(["at://greenground.bsky.social"]);
        document.PdsEndpoint.ShouldBe(new Uri("https://bsky.social"));
        document.SigningKey.ShouldNotBeNull().Algorithm.ShouldBe(KeyAlgorithm.K256);
        document.SigningKey.ShouldBe(AtprotoPublicKey.ParseLegacyMultibase(
            KeyAlgorithm.K256, "zQYEBzXeuTM9UR3rfvNag6L3RNAs5pQZyYPsomTsgQhsxLdEgCrPTLgFna8yqCnxPpNT7DBk6Ym3dgPKNu86vt9GR"));
    }

    [Fact]
    public void Parse_PaulStagingDocument_ReadsKeyHandleAndPds()
    {
        var document = DidDocument.Parse(File.ReadAllText(SharedFixtures.Path("real", "repos", "paul_staging.didDoc.json")));

        document.Id.ShouldBe("did:plc:cmpvykrzb2l22kj4ojlv3ox4");
        document.Handle.ShouldBe("paul.staging.bsky.dev");
        document.PdsEndpoint.ShouldBe(new Uri("https://pds.staging.bsky.dev"));
        var key = document.SigningKey.ShouldNotBeNull();
        key.Algorithm.ShouldBe(KeyAlgorithm.K256);
        AtprotoPublicKey.ParseDidKey(key.ToDidKey()).ShouldBe(key);
    }

    [Fact]
    public void Parse_CurrentMultikeyDocument_ReadsAtprotoEntriesByFullId()
    {
        var document = DidDocument.Parse(CurrentFormatDocument);

        document.Id.ShouldBe("did:plc:ewvi7nxzyoun6zhxrhs64oiz");
        document.Handle.ShouldBe("atproto.com");
        document.SigningKey.ShouldNotBeNull().ToDidKey().ShouldBe("did:key:zQ3shqwJEJyMBsBXCWyCBpUBMqxcon9oHB7mCvx4sSpMdLJwc");
        document.PdsEndpoint.ShouldBe(new Uri("https://enoki.us-east.host.bsky.network"));
    }

    [Fact]
    public void Parse_LegacyP256Method_ReadsCompressedPointWithoutPrefix()
    {
        const string json = """
            {"id":"did:web:example.com","verificationMethod":[{"id":"#atproto","type":"EcdsaSecp256r1VerificationKey2019","controller":"did:web:example.com","publicKeyMultibase":"zxdM8dSstjrpZaRUwBmDvjGXweKuEMVN95A9oJBFjkWMh"}]}
            """;

        var document = DidDocument.Parse(json);

        document.SigningKey.ShouldNotBeNull().ToDidKey().ShouldBe("did:key:zDnaembgSGUhZULN2Caob4HLJPaxBh92N7rtH21TErzqf8HQo");
        document.Handle.ShouldBeNull();
        document.PdsEndpoint.ShouldBeNull();
        document.AlsoKnownAs.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("""{"id":"did:plc:abc"}""")]
    [InlineData("""{"id":"did:plc:abc","verificationMethod":null,"service":null}""")]
    [InlineData("""{"id":"did:plc:abc","verificationMethod":[{"id":"#atproto2","type":"Multikey","publicKeyMultibase":"z"}]}""")]
    [InlineData("""{"id":"did:plc:abc","verificationMethod":[{"id":"did:plc:other#atproto","type":"Multikey","publicKeyMultibase":"z"}]}""")]
    [InlineData("""{"id":"did:plc:abc","verificationMethod":[{"id":"did:plc:abcd#atproto","type":"Multikey","publicKeyMultibase":"z"}]}""")]
    [InlineData("""{"id":"did:plc:abc","service":[{"id":"#atproto_pds","type":"BskyFeedGenerator","serviceEndpoint":"https://x.example"}]}""")]
    public void Parse_NoAtprotoEntries_HasNoKeyOrPds(string json)
    {
        var document = DidDocument.Parse(json);

        document.SigningKey.ShouldBeNull();
        document.PdsEndpoint.ShouldBeNull();
    }

    [Fact]
    public void Parse_TwoAtprotoMethods_TakesTheFirst()
    {
        const string json = """
            {"id":"did:plc:abc","verificationMethod":[
              {"id":"#atproto","type":"Multikey","publicKeyMultibase":"zQ3shqwJEJyMBsBXCWyCBpUBMqxcon9oHB7mCvx4sSpMdLJwc"},
              {"id":"did:plc:abc#atproto","type":"Multikey","publicKeyMultibase":"zQ3shnriYMXc8wvkbJqfNWh5GXn2bVAeqTC92YuNbek4npqGF"}]}
            """;

        DidDocument.Parse(json).SigningKey.ShouldNotBeNull().ToDidKey().ShouldBe("did:key:zQ3shqwJEJyMBsBXCWyCBpUBMqxcon9oHB7mCvx4sSpMdLJwc");
    }

    [Theory]
    [InlineData("", "not valid JSON")]
    [InlineData("{", "not valid JSON")]
    [InlineData("""{"id":"did:plc:abc"} {}""", "not valid JSON")]
    [InlineData("[]", "JSON object, not an array")]
    [InlineData("\"did:plc:abc\"", "JSON object, not a string")]
    [InlineData("{}", "no string 'id'")]
    [InlineData("""{"id":42}""", "no string 'id'")]
    [InlineData("""{"id":"plc:abc"}""", "is not a DID")]
    [InlineData("""{"id":"did:plc:abc#atproto"}""", "is not a DID")]
    [InlineData("""{"id":"did:plc:abc","id":"did:plc:evil"}""", "repeats the property 'id'")]
    [InlineData("""{"id":"did:plc:abc","alsoKnownAs":"at://x.example"}""", "'alsoKnownAs' is a string, not an array")]
    [InlineData("""{"id":"did:plc:abc","alsoKnownAs":[1]}""", "alsoKnownAs[0] is a number")]
    [InlineData("""{"id":"did:plc:abc","verificationMethod":{}}""", "'verificationMethod' is an object, not an array")]
    [InlineData("""{"id":"did:plc:abc","verificationMethod":["#atproto"]}""", "verificationMethod[0] is a string, not an object")]
    [InlineData("""{"id":"did:plc:abc","verificationMethod":[{"type":"Multikey"}]}""", "verificationMethod[0] has no string 'id'")]
    [InlineData("""{"id":"did:plc:abc","verificationMethod":[{"id":"#atproto","publicKeyMultibase":"zQ3shqwJEJyMBsBXCWyCBpUBMqxcon9oHB7mCvx4sSpMdLJwc"}]}""", "has no string 'type'")]
    [InlineData("""{"id":"did:plc:abc","verificationMethod":[{"id":"#atproto","type":"Multikey","publicKeyJwk":{}}]}""", "no string publicKeyMultibase")]
    [InlineData("""{"id":"did:plc:abc","verificationMethod":[{"id":"#atproto","type":"Ed25519VerificationKey2020","publicKeyMultibase":"z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"}]}""", "unsupported type 'Ed25519VerificationKey2020'")]
    [InlineData("""{"id":"did:plc:abc","verificationMethod":[{"id":"#atproto","type":"Multikey","publicKeyMultibase":"z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"}]}""", "unsupported multicodec prefix")]
    [InlineData("""{"id":"did:plc:abc","verificationMethod":[{"id":"#atproto","type":"Multikey","publicKeyMultibase":"QQ3shqwJEJyMBsBXCWyCBpUBMqxcon9oHB7mCvx4sSpMdLJwc"}]}""", "multibase base58btc")]
    [InlineData("""{"id":"did:plc:abc","verificationMethod":[{"id":"#atproto","type":"EcdsaSecp256k1VerificationKey2019","publicKeyMultibase":"zQ3shqwJEJyMBsBXCWyCBpUBMqxcon9oHB7mCvx4sSpMdLJwc"}]}""", "not 35")]
    [InlineData("""{"id":"did:plc:abc","verificationMethod":[{"id":"#atproto","id":"#x","type":"Multikey","publicKeyMultibase":"z"}]}""", "repeats the property 'id'")]
    [InlineData("""{"id":"did:plc:abc","service":[{"id":"#atproto_pds","type":"AtprotoPersonalDataServer","serviceEndpoint":"ftp://pds.example"}]}""", "is not an http(s) URL")]
    [InlineData("""{"id":"did:plc:abc","service":[{"id":"#atproto_pds","type":"AtprotoPersonalDataServer","serviceEndpoint":"pds.example"}]}""", "is not an http(s) URL")]
    [InlineData("""{"id":"did:plc:abc","service":[{"id":"#atproto_pds","type":"AtprotoPersonalDataServer","serviceEndpoint":{"uri":"https://pds.example"}}]}""", "has no string 'serviceEndpoint'")]
    [InlineData("""{"id":"did:plc:abc","service":[{"id":"#atproto_pds","serviceEndpoint":"https://pds.example"}]}""", "has no string 'type'")]
    public void Parse_Malformed_ThrowsDidDocumentExceptionNamingTheProblem(string json, string expectedMessagePart)
    {
        var exception = Should.Throw<DidDocumentException>(() => DidDocument.Parse(Encoding.UTF8.GetBytes(json)));

        exception.Message.ShouldContain(expectedMessagePart);
    }

    [Fact]
    public void Parse_BadKey_KeepsKeyFormatExceptionAsInner()
    {
        const string json = """{"id":"did:plc:abc","verificationMethod":[{"id":"#atproto","type":"Multikey","publicKeyMultibase":"z0"}]}""";

        var exception = Should.Throw<DidDocumentException>(() => DidDocument.Parse(json));

        exception.InnerException.ShouldBeOfType<KeyFormatException>();
        exception.Message.ShouldContain("did:plc:abc");
    }

    [Fact]
    public void Parse_OversizedDocument_ThrowsBeforeParsing()
    {
        var json = """{"id":"did:plc:abc","alsoKnownAs":[""" + string.Join(',', Enumerable.Repeat("\"at://x.example\"", 10_000)) + "]}";

        Should.Throw<DidDocumentException>(() => DidDocument.Parse(json)).Message.ShouldContain("limit is");
        Should.Throw<DidDocumentException>(() => DidDocument.Parse(Encoding.UTF8.GetBytes(json))).Message.ShouldContain("limit is");
    }

    [Fact]
    public void Parse_DeeplyNestedDocument_Throws()
    {
        var json = """{"id":"did:plc:abc","x":""" + new string('[', 100) + new string(']', 100) + "}";

        Should.Throw<DidDocumentException>(() => DidDocument.Parse(json)).Message.ShouldContain("not valid JSON");
    }

    [Theory]
    [InlineData(KeyAlgorithm.K256)]
    [InlineData(KeyAlgorithm.P256)]
    public void ToUtf8Json_CreatedDocument_ParsesBackToSameEntries(KeyAlgorithm algorithm)
    {
        using var privateKey = AtprotoPrivateKey.FromSeed(algorithm, "simulated account");
        var created = DidDocument.Create("did:plc:simulated", "Alice.Test", privateKey.PublicKey, new Uri("http://127.0.0.1:2583"));

        var parsed = DidDocument.Parse(created.ToUtf8Json());

        parsed.Id.ShouldBe("did:plc:simulated");
        parsed.Handle.ShouldBe("alice.test");
        parsed.AlsoKnownAs.ShouldBe(["at://alice.test"]);
        parsed.SigningKey.ShouldBe(privateKey.PublicKey);
        parsed.PdsEndpoint.ShouldBe(new Uri("http://127.0.0.1:2583"));
    }

    [Fact]
    public void ToUtf8Json_ParsedRealDocument_KeepsItsKeyInMultikeyForm()
    {
        var original = DidDocument.Parse(File.ReadAllBytes(SharedFixtures.Path("real", "repos", "greenground.didDoc.json")));

        var json = Encoding.UTF8.GetString(original.ToUtf8Json());
        var again = DidDocument.Parse(json);

        json.ShouldContain("\"type\":\"Multikey\"");
        again.SigningKey.ShouldBe(original.SigningKey);
        again.Handle.ShouldBe(original.Handle);
        again.PdsEndpoint.ShouldBe(original.PdsEndpoint);
    }

    [Theory]
    [InlineData("plc:abc", null)]
    [InlineData("did:plc:abc#atproto", null)]
    [InlineData("did:plc:abc", "ftp://pds.example")]
    [InlineData("did:plc:abc", "/relative")]
    public void Create_BadDidOrEndpoint_Throws(string did, string? endpoint)
    {
        var uri = endpoint is null ? null : new Uri(endpoint, UriKind.RelativeOrAbsolute);

        Should.Throw<ArgumentException>(() => DidDocument.Create(did, null, null, uri));
    }
}
