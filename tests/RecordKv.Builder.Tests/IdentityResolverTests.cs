namespace RecordKv.Builder.Tests;

public sealed class IdentityResolverTests
{
    [Theory]
    [InlineData("did:plc:ewvi7nxzyoun6zhxrhs64oiz", "https://plc.directory/did:plc:ewvi7nxzyoun6zhxrhs64oiz", false)]
    [InlineData("did:web:example.com", "https://example.com/.well-known/did.json", false)]
    [InlineData("did:web:localhost%3A8080", "https://localhost:8080/.well-known/did.json", false)]
    [InlineData("did:web:localhost%3A8080", "http://localhost:8080/.well-known/did.json", true)]
    [InlineData("did:web:127.0.0.1%3A9", "http://127.0.0.1:9/.well-known/did.json", true)]
    [InlineData("did:web:example.com", "https://example.com/.well-known/did.json", true)]
    public void DocumentUri_SupportedDid_PointsAtTheDocument(string did, string expected, bool allowHttp)
    {
        var options = new BuilderOptions { AllowHttpDidWebOnLoopback = allowHttp };

        var uri = IdentityResolver.DocumentUri(options, did, out var hostHeader);

        uri.ToString().ShouldBe(expected);
        hostHeader.ShouldBeNull();
    }

    [Fact]
    public void DocumentUri_DidWebWithGateway_SendsTheHostAsHeader()
    {
        var options = new BuilderOptions { DidWebGateway = "http://127.0.0.1:2470/" };

        var uri = IdentityResolver.DocumentUri(options, "did:web:w3.sim.localhost", out var hostHeader);

        uri.ToString().ShouldBe("http://127.0.0.1:2470/.well-known/did.json");
        hostHeader.ShouldBe("w3.sim.localhost");
    }

    [Theory]
    [InlineData("did:web:example.com:user:alice")]
    [InlineData("did:web:")]
    [InlineData("did:key:zQ3shunBKsXixLxKtC5qeSG9E4J5RkGN57im31pcTzbNQnm5w")]
    [InlineData("did:example:123")]
    public void DocumentUri_UnsupportedDid_Throws(string did)
    {
        Should.Throw<IdentityException>(() => IdentityResolver.DocumentUri(new BuilderOptions(), did, out _));
    }
}
