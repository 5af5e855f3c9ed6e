namespace RecordKv.Contracts.Tests;

public sealed class RecordStoreKeysTests
{
    private static readonly RecordStoreKeys Keys = new(new DidPartitioner(16));

    [Fact]
    public void KeyFor_DesignExample_MatchesDesign()
    {
        var id = RecordId.ParseAtUri("at://did:plc:abc/app.bsky.feed.like/x~y:z");

        Keys.KeyFor(id).ShouldBe("13.app.bsky.feed.like.did/3Aplc/3Aabc.x/7Ey/3Az");
    }

    [Theory]
    [InlineData("did:plc:abc", "did/3Aplc/3Aabc")]
    [InlineData("a.b/c", "a/2Eb/2Fc")]
    [InlineData("self", "self")]
    [InlineData("under_score=eq-dash", "under_score=eq-dash")]
    [InlineData("é", "/C3/A9")]
    [InlineData("did:web:example.com%3A8080", "did/3Aweb/3Aexample/2Ecom/253A8080")]
    public void Escape_Values_MatchSchema(string value, string escaped)
    {
        KeyTokenEscaping.Escape(value).ShouldBe(escaped);
        KeyTokenEscaping.Unescape(escaped).ShouldBe(value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/3")]
    [InlineData("a/3a")]
    [InlineData("a/41")]
    [InlineData("a.b")]
    [InlineData("a:b")]
    [InlineData("/FF")]
    public void Unescape_NotAnEscapedToken_Throws(string token)
    {
        Should.Throw<KeyFormatException>(() => KeyTokenEscaping.Unescape(token));
    }

    [Theory]
    [InlineData("at://did:plc:ewvi7nxzyoun6zhxrhs64oiz/app.bsky.feed.post/3jzfcijpj2z2a")]
    [InlineData("at://did:web:example.com/com.example.thing/a.b_c~d:e-f")]
    [InlineData("at://did:plc:abc/app.bsky.actor.profile/self")]
    public void ParseKey_KeyOfRecord_RoundTrips(string uri)
    {
        var id = RecordId.ParseAtUri(uri);
        var key = Keys.KeyFor(id);

        var parsed = RecordStoreKeys.ParseKey(key, out var partition);

        parsed.ShouldBe(id);
        parsed.ToAtUri().ShouldBe(uri);
        partition.ShouldBe(Keys.Partitioner.PartitionOf(id.Did));
    }

    [Theory]
    [InlineData("")]
    [InlineData("13")]
    [InlineData("13.app.bsky.feed.like")]
    [InlineData("x.app.bsky.feed.like.did/3Aplc/3Aabc.rkey")]
    [InlineData("13.app..like.did/3Aplc/3Aabc.rkey")]
    [InlineData("13.app.bsky.feed.like.did:plc:abc.rkey")]
    public void ParseKey_NotARecordKey_Throws(string key)
    {
        Should.Throw<KeyFormatException>(() => RecordStoreKeys.ParseKey(key, out _));
    }

    [Theory]
    [InlineData("did:plc:abc/app.bsky.feed.like/x")]
    [InlineData("at://did:plc:abc/app.bsky.feed.like")]
    [InlineData("at://alice.test/app.bsky.feed.like/x")]
    [InlineData("at://did:plc:abc/app.bsky.feed.like/x/y")]
    [InlineData("at://did:plc:abc/app.bsky.feed*.like/x")]
    public void ParseAtUri_NotARecordUri_Throws(string uri)
    {
        Should.Throw<KeyFormatException>(() => RecordId.ParseAtUri(uri));
    }

    [Fact]
    public void CollectionSubject_Like_SelectsEveryPartition()
    {
        RecordStoreKeys.CollectionSubject("record", "app.bsky.feed.like").ShouldBe("$KV.record.*.app.bsky.feed.like.>");
    }
}
