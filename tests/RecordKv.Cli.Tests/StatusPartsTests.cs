using RecordKv.Cli.Status;

namespace RecordKv.Cli.Tests;

/// <summary>The pieces of <c>status</c> and <c>graph</c> that need no server: relay URLs, consumer name shapes, the graph's lines.</summary>
public sealed class StatusPartsTests
{
    [Theory]
    [InlineData("127.0.0.1:2470", "ws://127.0.0.1:2470/xrpc/com.atproto.sync.subscribeRepos")]
    [InlineData("localhost:2470", "ws://localhost:2470/xrpc/com.atproto.sync.subscribeRepos")]
    [InlineData("bsky.network", "wss://bsky.network/xrpc/com.atproto.sync.subscribeRepos")]
    [InlineData("https://relay.example.com/", "wss://relay.example.com/xrpc/com.atproto.sync.subscribeRepos")]
    [InlineData("http://127.0.0.1:9", "ws://127.0.0.1:9/xrpc/com.atproto.sync.subscribeRepos")]
    [InlineData("ws://10.0.0.1:2470", "ws://10.0.0.1:2470/xrpc/com.atproto.sync.subscribeRepos")]
    public void SubscribeUrl_RelayOrSourceName_SubscribeReposEndpoint(string relay, string expected)
    {
        RelayHeadProbe.SubscribeUrl(relay).ToString().ShouldBe(expected);
    }

    [Fact]
    public async Task ReadAsync_NothingListening_ReturnsNull()
    {
        var port = RecordKv.Testing.NatsServerProcess.FreePort();
        var head = await RelayHeadProbe.ReadAsync(RelayHeadProbe.SubscribeUrl($"127.0.0.1:{port}"), TimeSpan.FromSeconds(10), CancellationToken.None);
        head.ShouldBeNull();
    }

    [Theory]
    [InlineData("0XwJk7lm", true)]
    [InlineData("Ab3dEf7hIj1lMn0pQr5tUv", true)]
    [InlineData("like-indexer-0-app_bsky_feed_like", false)]
    [InlineData("kv-builder-3", false)]
    [InlineData("graphed", false)]
    public void LooksEphemeral_Name_MatchesServerGeneratedShape(string name, bool ephemeral)
    {
        ConsumerNames.LooksEphemeral(name).ShouldBe(ephemeral);
    }

    [Fact]
    public void Add_RisingRates_BarScaledToPeakAndSparklineOfHistory()
    {
        var graph = new ThroughputGraph(barWidth: 10, history: 3);
        var at = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

        graph.Add(new ThroughputSample(at, 0, 0, 5, 0));
        graph.Add(new ThroughputSample(at, 50, 50, 5, 1));
        var line = graph.Add(new ThroughputSample(at, 100, 100, 0, 2));
        var half = graph.Add(new ThroughputSample(at, 60, 50, 7, 3));

        line.ShouldBe("12:00:00 delivered     100.0/s  acked     100.0/s |██████████| ▁▅█  pending 0  ack pending 2");
        half.ShouldBe("12:00:00 delivered      60.0/s  acked      50.0/s |█████     | ▅█▅  pending 7  ack pending 3");
    }
}
