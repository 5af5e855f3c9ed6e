using System.Text;
using RecordKv.Testing;

namespace RecordKv.Nats.Tests.Core;

public sealed class NatsReconnectTests
{
    private static NatsOptions Options(string url) => new()
    {
        Servers = [url],
        ReconnectWaitMin = TimeSpan.FromMilliseconds(20),
        ReconnectWaitMax = TimeSpan.FromMilliseconds(200),
    };

    private static async Task<NatsMsg> ReadUntilAsync(NatsSubscription subscription, string text, CancellationToken cancellationToken)
    {
        while (true)
        {
            var message = await subscription.Messages.ReadAsync(cancellationToken);
            if (Encoding.UTF8.GetString(message.Data.Span) == text)
            {
                return message;
            }
        }
    }

    [Fact]
    public async Task ServerRestart_DuringPublishStream_ReconnectsResubscribesAndDeliversLaterPublishes()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var server = await NatsServerProcess.StartAsync(new NatsServerProcessOptions { JetStream = false }, token);
        await using var publisher = await NatsConnection.ConnectAsync(Options(server.Url), token);
        await using var subscriber = await NatsConnection.ConnectAsync(Options(server.Url), token);
        var states = new List<NatsConnectionState>();
        publisher.ConnectionStateChanged += (_, e) =>
        {
            lock (states)
            {
                states.Add(e.State);
            }
        };
        const int capacity = 100_000;
        await using var subscription = await subscriber.SubscribeAsync("stream", options: new NatsSubscriptionOptions { Capacity = capacity }, cancellationToken: token);
        await subscriber.PingAsync(token);
        using var stopPublishing = CancellationTokenSource.CreateLinkedTokenSource(token);
        var published = 0;
        var stream = Task.Run(async () =>
        {
            // Bounded below the subscription's capacity: the test reads only the first messages of the flood, so on a
            // fast machine an unbounded one overflowed it (13,629 dropped) before both clients had reconnected.
            while (!stopPublishing.IsCancellationRequested && published < capacity - 10_000)
            {
                await publisher.PublishAsync("stream", Encoding.UTF8.GetBytes($"s{published}"), cancellationToken: token);
                published++;
                if (published % 50 == 0)
                {
                    await Task.Yield();
                }
            }
        }, token);
        await ReadUntilAsync(subscription, "s100", token);

        await server.RestartAsync(kill: true, token);
        await TestWait.UntilAsync(() => publisher.State == NatsConnectionState.Connected && subscriber.State == NatsConnectionState.Connected && states.Contains(NatsConnectionState.Disconnected), token, "both clients to reconnect");
        await stopPublishing.CancelAsync();
        await stream;

        // The subscriber's SUBs are on the wire before it reports Connected, but the server reads each client on its
        // own; a round trip on the subscriber's connection proves the server has them before anything is published.
        // (Under load the flood above can get the subscriber cut off as a slow consumer once more: it reconnects.)
        await TestWait.UntilAsync(async () =>
        {
            try
            {
                await subscriber.PingAsync(token);
                return true;
            }
            catch (NatsConnectionException)
            {
                return false;
            }
        }, token, "a round trip on the subscriber's connection");
        for (var i = 0; i < 100; i++)
        {
            await publisher.PublishAsync("stream", Encoding.UTF8.GetBytes($"after{i}"), cancellationToken: token);
        }

        await publisher.PingAsync(token);

        await ReadUntilAsync(subscription, "after0", token);
        for (var i = 1; i < 100; i++)
        {
            Encoding.UTF8.GetString((await subscription.Messages.ReadAsync(token)).Data.Span).ShouldBe($"after{i}");
        }

        states.ShouldContain(NatsConnectionState.Disconnected);
        states[^1].ShouldBe(NatsConnectionState.Connected);
        subscription.DroppedMessages.ShouldBe(0);
    }

    [Fact]
    public async Task Disconnected_PublishesBeyondReconnectBuffer_ThrowAndBufferedOnesArriveAfterReconnect()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var server = await NatsServerProcess.StartAsync(new NatsServerProcessOptions { JetStream = false }, token);
        await using var connection = await NatsConnection.ConnectAsync(Options(server.Url) with { ReconnectBufferBytes = 4096 }, token);
        await using var subscription = await connection.SubscribeAsync("buffered", cancellationToken: token);
        await connection.PingAsync(token);

        await server.KillAsync(token);
        await TestWait.UntilAsync(() => connection.State == NatsConnectionState.Disconnected, token, "the client to notice");
        var accepted = 0;
        var error = await Should.ThrowAsync<NatsConnectionException>(async () =>
        {
            for (var i = 0; i < 1000; i++)
            {
                await connection.PublishAsync("buffered", new byte[100], cancellationToken: token);
                accepted++;
            }
        });
        await server.StartProcessAsync(token);
        await TestWait.UntilAsync(() => connection.State == NatsConnectionState.Connected, token, "the client to reconnect");
        await connection.PingAsync(token);

        error.Message.ShouldContain("ReconnectBufferBytes");
        accepted.ShouldBeInRange(10, 40);
        subscription.Messages.Count.ShouldBe(accepted);
    }

    [Fact]
    public async Task MaxReconnectAttemptsReached_ClosesAndFailsSubscriptions()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var server = await NatsServerProcess.StartAsync(new NatsServerProcessOptions { JetStream = false }, token);
        await using var connection = await NatsConnection.ConnectAsync(Options(server.Url) with { MaxReconnectAttempts = 3 }, token);
        var subscription = await connection.SubscribeAsync("gone", cancellationToken: token);

        await server.KillAsync(token);

        await Should.ThrowAsync<NatsConnectionException>(subscription.Messages.Completion.WaitAsync(token));
        connection.State.ShouldBe(NatsConnectionState.Closed);
        await Should.ThrowAsync<NatsConnectionException>(async () => await connection.PublishAsync("gone", new byte[1], cancellationToken: token));
    }
}
