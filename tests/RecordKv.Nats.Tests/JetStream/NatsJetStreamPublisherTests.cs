using RecordKv.Nats.JetStream;
using RecordKv.Testing;
using static RecordKv.Nats.Tests.JetStream.JetStreamTestSupport;

namespace RecordKv.Nats.Tests.JetStream;

[Collection(JetStreamCollection.Name)]
public sealed class NatsJetStreamPublisherTests(NatsServerFixture fixture)
{
    [Fact]
    public async Task PublishAsync_ManyMessages_ReportsEveryAckInPublishOrder()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await ConnectAsync(fixture.Url, token);
        var js = new NatsJetStreamContext(connection);
        var name = UniqueName("P");
        await CreateStreamAsync(js, name, cancellationToken: token);
        await using var publisher = await js.CreatePublisherAsync(new NatsJetStreamPublisherOptions { MaxInFlight = 64 }, token);
        const int count = 5000;

        var reading = Task.Run(async () =>
        {
            var results = new List<NatsJetStreamPublishResult>(count);
            while (results.Count < count)
            {
                results.Add(await publisher.Results.ReadAsync(token));
            }

            return results;
        }, token);
        for (var i = 0; i < count; i++)
        {
            (await publisher.PublishAsync(name + ".m", Utf8("message " + i), cancellationToken: token)).ShouldBe(i);
        }

        var results = await reading;
        for (var i = 0; i < count; i++)
        {
            results[i].IsSuccess.ShouldBeTrue();
            results[i].PublishId.ShouldBe(i);
            results[i].Ack.Sequence.ShouldBe((ulong)i + 1);
            results[i].Ack.Stream.ShouldBe(name);
        }

        (await js.GetStreamInfoAsync(name, token)).State.Messages.ShouldBe((ulong)count);
        Text((await js.GetMessageAsync(name, 1234, token)).Data).ShouldBe("message 1233");
    }

    [Fact]
    public async Task PublishAsync_WindowFull_WaitsUntilAResultIsRead()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await ConnectAsync(fixture.Url, token);
        var js = new NatsJetStreamContext(connection);
        var name = UniqueName("P");
        await CreateStreamAsync(js, name, cancellationToken: token);
        await using var publisher = await js.CreatePublisherAsync(new NatsJetStreamPublisherOptions { MaxInFlight = 4 }, token);
        for (var i = 0; i < 4; i++)
        {
            await publisher.PublishAsync(name + ".m", Utf8("x"), cancellationToken: token);
        }

        var fifth = publisher.PublishAsync(name + ".m", Utf8("x"), cancellationToken: token).AsTask();
        while (publisher.Results.Count < 4)
        {
            await Task.Delay(5, token); // all four acked, none read yet
        }

        fifth.IsCompleted.ShouldBeFalse();
        var firstResult = await publisher.Results.ReadAsync(token);
        (await fifth.WaitAsync(token)).ShouldBe(4);

        fifth.IsCompletedSuccessfully.ShouldBeTrue();
        firstResult.PublishId.ShouldBe(0);
        publisher.InFlight.ShouldBe(4);
    }

    [Fact]
    public async Task PublishAsync_OneBrokenExpectation_FailsOnlyThatMessage()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await ConnectAsync(fixture.Url, token);
        var js = new NatsJetStreamContext(connection);
        var name = UniqueName("P");
        await CreateStreamAsync(js, name, cancellationToken: token);
        await using var publisher = await js.CreatePublisherAsync(cancellationToken: token);

        await publisher.PublishAsync(name + ".a", Utf8("1"), cancellationToken: token);
        await publisher.PublishAsync(name + ".a", Utf8("2"), options: new NatsJetStreamPublishOptions { ExpectedLastSubjectSequence = 7 }, cancellationToken: token);
        await publisher.PublishAsync(name + ".a", Utf8("3"), options: new NatsJetStreamPublishOptions { MsgId = "m3" }, cancellationToken: token);
        await publisher.PublishAsync(UniqueName("nostream"), Utf8("4"), cancellationToken: token);

        var results = new List<NatsJetStreamPublishResult>();
        for (var i = 0; i < 4; i++)
        {
            results.Add(await publisher.Results.ReadAsync(token));
        }

        results[0].Ack.Sequence.ShouldBe(1UL);
        results[1].Error.ShouldBeOfType<NatsJetStreamWrongLastSequenceException>().ErrorCode.ShouldBe(10071);
        results[2].Ack.Sequence.ShouldBe(2UL);
        results[3].Error!.Code.ShouldBe(503);
        results.Select(r => r.PublishId).ShouldBe([0L, 1L, 2L, 3L]);
    }

    [Fact]
    public async Task PublishAsync_NoAckInTime_ReportsTimeout()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await ConnectAsync(fixture.Url, token);
        var js = new NatsJetStreamContext(connection);
        var subject = UniqueName("silent");

        // A plain subscriber that never answers stands in for a stream that lost the message.
        await using var silent = await connection.SubscribeAsync(subject, cancellationToken: token);
        await connection.PingAsync(token);
        await using var publisher = await js.CreatePublisherAsync(new NatsJetStreamPublisherOptions { AckTimeout = TimeSpan.FromMilliseconds(200) }, token);
        await publisher.PublishAsync(subject, Utf8("lost"), cancellationToken: token);

        var result = await publisher.Results.ReadAsync(token);

        result.Error.ShouldBeOfType<NatsJetStreamPublishTimeoutException>().Subject.ShouldBe(subject);
    }
}
