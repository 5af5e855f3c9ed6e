using System.Text;
using RecordKv.Atproto.Syntax;

namespace RecordKv.Atproto.Tests.Syntax;

public sealed class AtUriTests
{
    public static TheoryData<string> InteropValid => InteropSyntaxFixtures.Lines("aturi_syntax_valid.txt");

    public static TheoryData<string> InteropInvalid => InteropSyntaxFixtures.Lines("aturi_syntax_invalid.txt");

    [Theory]
    [MemberData(nameof(InteropValid))]
    public void Parse_InteropValid_RoundTrips(string line)
    {
        AtUri.Parse(line).ToString().ShouldBe(line);
        AtUri.Parse(Encoding.UTF8.GetBytes(line)).Value.ShouldBe(line);
    }

    [Theory]
    [MemberData(nameof(InteropInvalid))]
    public void TryParse_InteropInvalid_Fails(string line)
    {
        AtUri.TryParse(line, out _).ShouldBeFalse();
        AtUri.IsValid(Encoding.UTF8.GetBytes(line)).ShouldBeFalse();
        Should.Throw<SyntaxFormatException>(() => AtUri.Parse(line)).Kind.ShouldBe(SyntaxKind.AtUri);
    }

    [Fact]
    public void Parts_RecordUri_SplitIntoAuthorityCollectionAndKey()
    {
        var uri = AtUri.Parse("at://did:plc:abc/app.bsky.feed.like/x~y:z");

        uri.Authority.ShouldBe(AtIdentifier.Parse("did:plc:abc"));
        uri.Collection.ShouldBe(Nsid.Parse("app.bsky.feed.like"));
        uri.RecordKey.ShouldBe(RecordKey.Parse("x~y:z"));
    }

    [Fact]
    public void Parts_RepositoryUri_HasNoCollectionOrKey()
    {
        var uri = AtUri.Parse("at://alice.test");

        uri.Authority.IsHandle.ShouldBeTrue();
        uri.Collection.ShouldBeNull();
        uri.RecordKey.ShouldBeNull();
    }

    [Fact]
    public void Parts_CollectionUri_HasNoKey()
    {
        var uri = AtUri.Parse("at://did:plc:abc/app.bsky.feed.post");

        uri.Collection.ShouldBe(Nsid.Parse("app.bsky.feed.post"));
        uri.RecordKey.ShouldBeNull();
    }

    [Fact]
    public void ForRecord_Parts_EqualsParsedUri()
    {
        var uri = AtUri.ForRecord(Did.Parse("did:plc:abc"), Nsid.Parse("app.bsky.feed.post"), RecordKey.Parse("3jzfcijpj2z2a"));

        uri.ShouldBe(AtUri.Parse("at://did:plc:abc/app.bsky.feed.post/3jzfcijpj2z2a"));
        uri.RecordKey.ShouldBe(RecordKey.Parse("3jzfcijpj2z2a"));
    }

    [Theory]
    [InlineData("at://did:plc:abc/", "end with '/'")]
    [InlineData("at://did:plc:abc/app.bsky.feed.post/", "end with '/'")]
    [InlineData("at://name/app.bsky.feed.post", "authority")]
    [InlineData("at://did:plc:abc/short/x", "collection")]
    [InlineData("http://did:plc:abc", "at://")]
    public void Parse_Invalid_ReasonSaysWhy(string text, string expectedInReason)
    {
        Should.Throw<SyntaxFormatException>(() => AtUri.Parse(text)).Reason.ShouldContain(expectedInReason);
    }
}
