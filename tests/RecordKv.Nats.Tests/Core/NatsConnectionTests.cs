using System.Text;
using RecordKv.Testing;

namespace RecordKv.Nats.Tests.Core;

[Collection(NatsServerFixture.CollectionName)]
public sealed class NatsConnectionTests(NatsServerFixture fixture)
{
    private static string UniqueSubject(string name) => $"test.{name}.{Guid.NewGuid():N}";

    private Task<NatsConnection> ConnectAsync(CancellationToken cancellationToken) =>
        NatsConnection.ConnectAsync(new NatsOptions { Servers = [fixture.Url] }, cancellationToken);

    [Fact]
    public async Task ConnectAsync_RunningServer_ReportsServerInfo()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await ConnectAsync(token);

        connection.State.ShouldBe(NatsConnectionState.Connected);
        connection.ServerInfo.Version.ShouldBe("2.9.10");
        connection.ServerInfo.MaxPayload.ShouldBe(8L * 1024 * 1024);
        connection.ServerInfo.Headers.ShouldBeTrue();
        connection.ServerInfo.JetStream.ShouldBeTrue();
        await connection.PingAsync(token);
    }

    [Fact]
    public async Task PublishAsync_Subscribed_DeliversMessagesInOrder()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await ConnectAsync(token);
        var subject = UniqueSubject("pubsub");
        await using var subscription = await connection.SubscribeAsync(subject, cancellationToken: token);
        await connection.PingAsync(token);

        for (var i = 0; i < 100; i++)
        {
            await connection.PublishAsync(subject, Encoding.UTF8.GetBytes($"message {i}"), cancellationToken: token);
        }

        for (var i = 0; i < 100; i++)
        {
            var message = await subscription.Messages.ReadAsync(token);
            message.Subject.ShouldBe(subject);
            Encoding.UTF8.GetString(message.Data.Span).ShouldBe($"message {i}");
            message.Headers.ShouldBeNull();
        }
    }

    [Fact]
    public async Task SubscribeAsync_Wildcard_ReceivesEveryMatchingSubject()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await ConnectAsync(token);
        var prefix = UniqueSubject("wild");
        await using var subscription = await connection.SubscribeAsync(prefix + ".>", cancellationToken: token);
        await connection.PingAsync(token);

        await connection.PublishAsync(prefix + ".a", "1"u8.ToArray(), cancellationToken: token);
        await connection.PublishAsync(prefix + ".b.c", "2"u8.ToArray(), cancellationToken: token);

        (await subscription.Messages.ReadAsync(token)).Subject.ShouldBe(prefix + ".a");
        (await subscription.Messages.ReadAsync(token)).Subject.ShouldBe(prefix + ".b.c");
    }

    [Fact]
    public async Task PublishAsync_WithHeaders_RoundTripsNamesValuesAndOrder()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await ConnectAsync(token);
        var subject = UniqueSubject("headers");
        await using var subscription = await connection.SubscribeAsync(subject, cancellationToken: token);
        await connection.PingAsync(token);
        var headers = new NatsHeaders()
            .Add("Nats-Msg-Id", "abc-123")
            .Add("X-Multi", "one")
            .Add("X-Multi", "two")
            .Add("x-lower", "Case Kept");

        await connection.PublishAsync(subject, "body"u8.ToArray(), headers, cancellationToken: token);

        var message = await subscription.Messages.ReadAsync(token);
        message.Headers.ShouldNotBeNull();
        message.Headers.GetLastValue("Nats-Msg-Id").ShouldBe("abc-123");
        message.Headers.TryGetValue("X-Multi", out var values).ShouldBeTrue();
        values.ShouldBe(["one", "two"]);
        message.Headers.GetLastValue("x-lower").ShouldBe("Case Kept");
        message.Headers.GetLastValue("X-LOWER").ShouldBeNull();
        message.Headers.StatusCode.ShouldBeNull();
        Encoding.UTF8.GetString(message.Data.Span).ShouldBe("body");
    }

    [Fact]
    public async Task PublishAsync_HeadersWithEmptyPayload_ArriveWithEmptyData()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await ConnectAsync(token);
        var subject = UniqueSubject("headers-only");
        await using var subscription = await connection.SubscribeAsync(subject, cancellationToken: token);
        await connection.PingAsync(token);

        await connection.PublishAsync(subject, ReadOnlyMemory<byte>.Empty, new NatsHeaders().Add("K", "V"), cancellationToken: token);

        var message = await subscription.Messages.ReadAsync(token);
        message.Data.Length.ShouldBe(0);
        message.Headers!.GetLastValue("K").ShouldBe("V");
    }

    [Fact]
    public async Task RequestAsync_Responder_ReturnsReply()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var responderConnection = await ConnectAsync(token);
        await using var requester = await ConnectAsync(token);
        var subject = UniqueSubject("echo");
        await using var service = await responderConnection.SubscribeAsync(subject, cancellationToken: token);
        await responderConnection.PingAsync(token);
        var responder = Task.Run(async () =>
        {
            await foreach (var request in service.ReadAllAsync(token))
            {
                var headers = new NatsHeaders().Add("Echoed", request.Headers?.GetLastValue("Ask") ?? "none");
                await request.ReplyAsync(Encoding.UTF8.GetBytes("re: " + Encoding.UTF8.GetString(request.Data.Span)), headers, token);
            }
        }, token);

        var replies = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            requester.RequestAsync(subject, Encoding.UTF8.GetBytes($"q{i}"), new NatsHeaders().Add("Ask", $"h{i}"), cancellationToken: token)));

        for (var i = 0; i < replies.Length; i++)
        {
            Encoding.UTF8.GetString(replies[i].Data.Span).ShouldBe($"re: q{i}");
            replies[i].Headers!.GetLastValue("Echoed").ShouldBe($"h{i}");
        }

        responder.IsFaulted.ShouldBeFalse();
    }

    [Fact]
    public async Task RequestAsync_NoSubscriber_ThrowsNoResponders()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await ConnectAsync(token);
        var subject = UniqueSubject("nobody");

        var error = await Should.ThrowAsync<NatsNoRespondersException>(() => connection.RequestAsync(subject, "x"u8.ToArray(), cancellationToken: token));

        error.Subject.ShouldBe(subject);
    }

    [Fact]
    public async Task RequestAsync_ResponderSilent_ThrowsTimeout()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await ConnectAsync(token);
        var subject = UniqueSubject("silent");
        await using var silent = await connection.SubscribeAsync(subject, cancellationToken: token);
        await connection.PingAsync(token);

        await Should.ThrowAsync<NatsTimeoutException>(() => connection.RequestAsync(subject, "x"u8.ToArray(), timeout: TimeSpan.FromMilliseconds(200), cancellationToken: token));
    }

    [Fact]
    public async Task PublishAsync_SeveralMegabytes_ArrivesIntact()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await ConnectAsync(token);
        var subject = UniqueSubject("large");
        await using var subscription = await connection.SubscribeAsync(subject, cancellationToken: token);
        await connection.PingAsync(token);
        var payload = new byte[6 * 1024 * 1024];
        new Random(42).NextBytes(payload);

        await connection.PublishAsync(subject, payload, new NatsHeaders().Add("Size", "6MiB"), cancellationToken: token);

        var message = await subscription.Messages.ReadAsync(token);
        message.Data.Length.ShouldBe(payload.Length);
        message.Data.Span.SequenceEqual(payload).ShouldBeTrue();
    }

    [Fact]
    public async Task PublishAsync_OverMaxPayload_ThrowsPayloadTooLarge()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await ConnectAsync(token);
        var payload = new byte[(8 * 1024 * 1024) + 1];

        var error = await Should.ThrowAsync<NatsPayloadTooLargeException>(async () => await connection.PublishAsync(UniqueSubject("toolarge"), payload, cancellationToken: token));

        error.MaxPayload.ShouldBe(8L * 1024 * 1024);
        error.Size.ShouldBe(payload.Length);
        connection.State.ShouldBe(NatsConnectionState.Connected);
        await connection.PingAsync(token);
    }

    [Fact]
    public async Task UnsubscribeAsync_WithMax_CompletesAfterThatManyMessages()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await ConnectAsync(token);
        var subject = UniqueSubject("max");
        var subscription = await connection.SubscribeAsync(subject, cancellationToken: token);
        await subscription.UnsubscribeAsync(3);
        await connection.PingAsync(token);

        for (var i = 0; i < 10; i++)
        {
            await connection.PublishAsync(subject, new[] { (byte)i }, cancellationToken: token);
        }

        var received = new List<byte>();
        await foreach (var message in subscription.ReadAllAsync(token))
        {
            received.Add(message.Data.Span[0]);
        }

        received.ShouldBe([(byte)0, (byte)1, (byte)2]);
    }

    [Fact]
    public async Task UnsubscribeAsync_Now_StopsDeliveryAndCompletesChannel()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await ConnectAsync(token);
        var subject = UniqueSubject("unsub");
        var subscription = await connection.SubscribeAsync(subject, cancellationToken: token);
        await connection.PingAsync(token);

        await subscription.UnsubscribeAsync();
        await connection.PublishAsync(subject, "late"u8.ToArray(), cancellationToken: token);
        await connection.PingAsync(token);

        await subscription.Messages.Completion.WaitAsync(token);
        subscription.Messages.TryRead(out _).ShouldBeFalse();
    }

    [Fact]
    public async Task SubscribeAsync_QueueGroup_DeliversEachMessageOnce()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await ConnectAsync(token);
        var subject = UniqueSubject("queue");
        await using var first = await connection.SubscribeAsync(subject, "workers", cancellationToken: token);
        await using var second = await connection.SubscribeAsync(subject, "workers", cancellationToken: token);
        await connection.PingAsync(token);

        for (var i = 0; i < 50; i++)
        {
            await connection.PublishAsync(subject, new[] { (byte)i }, cancellationToken: token);
        }

        // The server handles this connection's PUBs before its PING, so every message is in before the PONG.
        await connection.PingAsync(token);

        (first.Messages.Count + second.Messages.Count).ShouldBe(50);
        first.Messages.Count.ShouldBeGreaterThan(0);
        second.Messages.Count.ShouldBeGreaterThan(0);
        (first.DeliveredMessages + second.DeliveredMessages).ShouldBe(50);
    }

    [Fact]
    public async Task SubscribeAsync_FullChannelDropNewest_CountsDroppedAndKeepsOthersFlowing()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await ConnectAsync(token);
        var slowSubject = UniqueSubject("slow");
        var fastSubject = UniqueSubject("fast");
        await using var slow = await connection.SubscribeAsync(slowSubject, options: new NatsSubscriptionOptions { Capacity = 4 }, cancellationToken: token);
        await using var fast = await connection.SubscribeAsync(fastSubject, cancellationToken: token);
        await connection.PingAsync(token);

        for (var i = 0; i < 10; i++)
        {
            await connection.PublishAsync(slowSubject, new[] { (byte)i }, cancellationToken: token);
        }

        await connection.PublishAsync(fastSubject, "ok"u8.ToArray(), cancellationToken: token);

        (await fast.Messages.ReadAsync(token)).Data.ToArray().ShouldBe("ok"u8.ToArray());
        slow.DroppedMessages.ShouldBe(6);
        for (var i = 0; i < 4; i++)
        {
            (await slow.Messages.ReadAsync(token)).Data.Span[0].ShouldBe((byte)i);
        }
    }

    [Fact]
    public async Task NewInbox_TwoCalls_AreDistinctUnderPrefix()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await ConnectAsync(token);

        var first = connection.NewInbox();
        var second = connection.NewInbox();

        first.ShouldStartWith("_INBOX.");
        first.ShouldNotBe(second);
    }

    [Fact]
    public async Task DisposeAsync_PendingSubscription_CompletesChannel()
    {
        var token = NatsServerFixture.TestTimeout();
        var connection = await ConnectAsync(token);
        var subscription = await connection.SubscribeAsync(UniqueSubject("dispose"), cancellationToken: token);

        await connection.DisposeAsync();

        await subscription.Messages.Completion.WaitAsync(token);
        connection.State.ShouldBe(NatsConnectionState.Closed);
        await Should.ThrowAsync<ObjectDisposedException>(async () => await connection.PublishAsync("x", "y"u8.ToArray(), cancellationToken: token));
    }
}
