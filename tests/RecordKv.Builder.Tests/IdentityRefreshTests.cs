using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using RecordKv.Atproto.Crypto;
using RecordKv.Contracts;
using RecordKv.Nats;
using RecordKv.Testing;

namespace RecordKv.Builder.Tests;

/// <summary>
/// A refresh after a signature failure may fetch a document ahead of the stream (the account rotated its key, the
/// #identity event is still to come): it replaces the cached identity only when adopted.
/// </summary>
[Collection(BuilderStoreCollection.Name)]
public sealed class IdentityRefreshTests(NatsServerFixture fixture)
{
    private const string Did = "did:plc:ewvi7nxzyoun6zhxrhs64oiz";

    [Fact]
    public async Task ResolveAsync_RefreshNotAdopted_KeepsTheCachedKey()
    {
        var token = NatsServerFixture.TestTimeout();
        var (connection, resolver, directory) = await OpenAsync(token);
        await using var _ = connection;
        (await resolver.ResolveAsync(Did, refresh: false, token)).Document.SigningKey.ShouldBe(Key(0));
        directory.Key = 1;

        var fetched = await resolver.ResolveAsync(Did, refresh: true, adopt: false, token);

        fetched.Document.SigningKey.ShouldBe(Key(1));
        fetched.FormerKeys.ShouldBe([Key(0)]);
        (await resolver.ResolveAsync(Did, refresh: false, token)).Document.SigningKey.ShouldBe(Key(0), "the stream has not shown the rotation yet");
    }

    [Fact]
    public async Task Adopt_FetchedIdentity_BecomesTheCachedOneWithTheFormerKey()
    {
        var token = NatsServerFixture.TestTimeout();
        var (connection, resolver, directory) = await OpenAsync(token);
        await using var _ = connection;
        await resolver.ResolveAsync(Did, refresh: false, token);
        directory.Key = 1;
        var fetched = await resolver.ResolveAsync(Did, refresh: true, adopt: false, token);

        resolver.Adopt(Did, fetched);

        var cached = await resolver.ResolveAsync(Did, refresh: false, token);
        cached.Document.SigningKey.ShouldBe(Key(1));
        cached.FormerKeys.ShouldBe([Key(0)]);
    }

    [Fact]
    public async Task ForgetPartition_AnotherBuilderAppliedAKeyRotationMeanwhile_NextResolutionHasTheNewKey()
    {
        var token = NatsServerFixture.TestTimeout();
        var (connection, newResolver, directory) = await OpenSharedAsync(token);
        await using var _ = connection;
        var resolver = newResolver();
        (await resolver.ResolveAsync(Did, refresh: false, token)).Document.SigningKey.ShouldBe(Key(0));

        // The partition moves to another builder, which applies the account's #identity event (a key rotation).
        directory.Key = 1;
        await newResolver().ResolveAsync(Did, refresh: true, token);
        directory.Key = 2;

        // Back here: without forgetting, the cached key would verify none of the account's new commits.
        (await resolver.ResolveAsync(Did, refresh: false, token)).Document.SigningKey.ShouldBe(Key(0));
        resolver.ForgetPartition(new DidPartitioner(FreshBuilderStore.Partitions).PartitionOf(Did));
        (await resolver.ResolveAsync(Did, refresh: false, token)).Document.SigningKey.ShouldBe(Key(1), "read from the identity bucket the other builder kept");
    }

    private static AtprotoPublicKey Key(int n) => AtprotoPrivateKey.FromSeed(KeyAlgorithm.K256, $"identity-refresh-test/{n}").PublicKey;

    private async Task<(NatsConnection Connection, IdentityResolver Resolver, Directory Directory)> OpenAsync(CancellationToken token)
    {
        var (connection, newResolver, directory) = await OpenSharedAsync(token);
        return (connection, newResolver(), directory);
    }

    // Resolvers of different builders: their own caches over the same identity bucket and PLC directory.
    private async Task<(NatsConnection Connection, Func<IdentityResolver> NewResolver, Directory Directory)> OpenSharedAsync(CancellationToken token)
    {
        var connection = await NatsConnection.ConnectAsync(new NatsOptions { Servers = [fixture.Url] }, token);
        var store = await FreshBuilderStore.OpenAsync(connection, token);
        var options = new BuilderOptions { PlcDirectory = "http://127.0.0.1:9" };
        var directory = new Directory();
        var http = new AtprotoHttp(options, NullLogger.Instance, directory);
        return (connection, () => new IdentityResolver(options, http, store, NullLogger.Instance), directory);
    }

    // A PLC directory serving the account's document with its current key.
    private sealed class Directory : HttpMessageHandler
    {
        public int Key { get; set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var json = $$"""
                {"id":"{{Did}}","verificationMethod":[{"id":"{{Did}}#atproto","type":"Multikey","controller":"{{Did}}","publicKeyMultibase":"{{IdentityRefreshTests.Key(Key).ToMultikey()}}"}]}
                """;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(json) });
        }
    }
}
