using System.Text;
using RecordKv.Testing;

namespace RecordKv.Nats.Tests.Core;

public sealed class NatsClusterTests
{
    private static NatsOptions Options(string url) => new()
    {
        Servers = [url],
        ReconnectWaitMin = TimeSpan.FromMilliseconds(20),
        ReconnectWaitMax = TimeSpan.FromMilliseconds(200),
    };

    /// <summary>Publishes probes until the subscriber sees one: route interest has then spread across the cluster.</summary>
    private static async Task WaitForInterestAsync(NatsConnection publisher, NatsSubscription subscription, CancellationToken cancellationToken)
    {
        while (true)
        {
            await publisher.PublishAsync(subscription.Subject, "probe"u8.ToArray(), cancellationToken: cancellationToken);
            await publisher.PingAsync(cancellationToken);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(TimeSpan.FromMilliseconds(100));
            try
            {
                await subscription.Messages.WaitToReadAsync(wait.Token);
                while (subscription.Messages.TryRead(out _))
                {
                }

                return;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
        }
    }

    [Fact]
    public async Task KillConnectedNode_ClientMovesToAnotherNodeAndCarriesOn()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var cluster = await NatsCluster.StartAsync(3, cancellationToken: token);
        await using var publisher = await NatsConnection.ConnectAsync(Options(cluster.Urls[0]), token);
        await using var subscriber = await NatsConnection.ConnectAsync(Options(cluster.Urls[2]), token);
        await TestWait.UntilAsync(() => publisher.ServerInfo.ConnectUrls.Count >= 3, token, "the cluster's connect_urls");
        await using var subscription = await subscriber.SubscribeAsync("cluster.data", cancellationToken: token);
        await WaitForInterestAsync(publisher, subscription, token);

        await cluster.KillNodeAsync(0, token);
        await TestWait.UntilAsync(() => publisher.State == NatsConnectionState.Connected && publisher.ConnectedUrl is { } url && !url.EndsWith($":{cluster.Nodes[0].Port}", StringComparison.Ordinal), token, "the publisher to move to another node");
        for (var i = 0; i < 100; i++)
        {
            await publisher.PublishAsync("cluster.data", Encoding.UTF8.GetBytes($"m{i}"), cancellationToken: token);
        }

        await publisher.PingAsync(token);
        var first = await subscription.Messages.ReadAsync(token);
        while (Encoding.UTF8.GetString(first.Data.Span) != "m0")
        {
            first = await subscription.Messages.ReadAsync(token);
        }

        for (var i = 1; i < 100; i++)
        {
            Encoding.UTF8.GetString((await subscription.Messages.ReadAsync(token)).Data.Span).ShouldBe($"m{i}");
        }

        subscriber.State.ShouldBe(NatsConnectionState.Connected);
    }

    [Fact]
    public async Task KillSubscribersNode_SubscriptionResumesOnAnotherNode()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var cluster = await NatsCluster.StartAsync(3, cancellationToken: token);
        await using var subscriber = await NatsConnection.ConnectAsync(Options(cluster.Urls[1]), token);
        await using var publisher = await NatsConnection.ConnectAsync(Options(cluster.Urls[2]), token);
        await TestWait.UntilAsync(() => subscriber.ServerInfo.ConnectUrls.Count >= 3, token, "the cluster's connect_urls");
        await using var subscription = await subscriber.SubscribeAsync("cluster.resub", cancellationToken: token);
        await WaitForInterestAsync(publisher, subscription, token);

        await cluster.KillNodeAsync(1, token);
        await TestWait.UntilAsync(() => subscriber.State == NatsConnectionState.Connected && subscriber.ConnectedUrl is { } url && !url.EndsWith($":{cluster.Nodes[1].Port}", StringComparison.Ordinal), token, "the subscriber to move");
        await WaitForInterestAsync(publisher, subscription, token);
        await publisher.PublishAsync("cluster.resub", "after"u8.ToArray(), cancellationToken: token);

        Encoding.UTF8.GetString((await subscription.Messages.ReadAsync(token)).Data.Span).ShouldBe("after");
    }

    [Fact]
    public async Task LameDuckMode_ClientMovesBeforeTheServerClosesIt()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var cluster = await NatsCluster.StartAsync(3, cancellationToken: token);
        await using var connection = await NatsConnection.ConnectAsync(Options(cluster.Urls[0]), token);
        await TestWait.UntilAsync(() => connection.ServerInfo.ConnectUrls.Count >= 3, token, "the cluster's connect_urls");
        var disconnected = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.ConnectionStateChanged += (_, e) =>
        {
            if (e.State == NatsConnectionState.Disconnected)
            {
                disconnected.TrySetResult(e.Error);
            }
        };

        cluster.Nodes[0].EnterLameDuckMode();

        var reason = await disconnected.Task.WaitAsync(token);
        reason!.Message.ShouldContain("lame-duck");
        await TestWait.UntilAsync(() => connection.State == NatsConnectionState.Connected, token, "the client to reconnect");
        connection.ConnectedUrl.ShouldNotEndWith($":{cluster.Nodes[0].Port}");
        await connection.PingAsync(token);
    }
}
