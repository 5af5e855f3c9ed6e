using RecordKv.Nats.JetStream;
using RecordKv.Testing;
using static RecordKv.Nats.Tests.JetStream.JetStreamTestSupport;

namespace RecordKv.Nats.Tests.JetStream;

[Collection(JetStreamCollection.Name)]
public sealed class NatsJetStreamConsumerTests(NatsServerFixture fixture)
{
    private static async Task<(NatsJetStreamContext Js, string Stream)> StreamWithMessagesAsync(NatsConnection connection, int count, CancellationToken token)
    {
        var js = new NatsJetStreamContext(connection);
        var name = UniqueName("C");
        await CreateStreamAsync(js, name, cancellationToken: token);
        for (var i = 0; i < count; i++)
        {
            await js.PublishAsync(name + (i % 2 == 0 ? ".even" : ".odd"), Utf8("m" + i), cancellationToken: token);
        }

        return (js, name);
    }

    [Fact]
    public async Task CreateConsumerAsync_Durable_CanBeListedReadAndDeleted()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await ConnectAsync(fixture.Url, token);
        var (js, stream) = await StreamWithMessagesAsync(connection, 4, token);

        var consumer = await js.CreateConsumerAsync(stream, new ConsumerConfig
        {
            DurableName = "durable",
            FilterSubject = stream + ".even",
            AckWait = TimeSpan.FromSeconds(7),
            MaxAckPending = 10,
            DeliverPolicy = ConsumerDeliverPolicy.All,
        }, token);

        consumer.Name.ShouldBe("durable");
        consumer.Info.Config.AckPolicy.ShouldBe(ConsumerAckPolicy.Explicit);
        consumer.Info.Config.AckWait.ShouldBe(TimeSpan.FromSeconds(7));
        consumer.Info.Config.MaxAckPending.ShouldBe(10);
        consumer.Info.NumPending.ShouldBe(2UL);
        (await js.ListConsumerNamesAsync(stream, token)).ShouldBe(["durable"]);
        (await js.ListConsumersAsync(stream, token)).Single().Config.FilterSubject.ShouldBe(stream + ".even");
        (await js.GetConsumerAsync(stream, "durable", token)).Info.Config.DurableName.ShouldBe("durable");

        await js.DeleteConsumerAsync(stream, "durable", token);

        await Should.ThrowAsync<NatsJetStreamNotFoundException>(() => js.GetConsumerInfoAsync(stream, "durable", token));
    }

    [Fact]
    public async Task CreateConsumerAsync_EphemeralWithInactiveThreshold_GetsServerName()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await ConnectAsync(fixture.Url, token);
        var (js, stream) = await StreamWithMessagesAsync(connection, 1, token);

        var consumer = await js.CreateConsumerAsync(stream, new ConsumerConfig { InactiveThreshold = TimeSpan.FromSeconds(30), DeliverPolicy = ConsumerDeliverPolicy.New }, token);

        consumer.Name.ShouldNotBeNullOrEmpty();
        consumer.Info.Config.DurableName.ShouldBeNull();
        consumer.Info.Config.InactiveThreshold.ShouldBe(TimeSpan.FromSeconds(30));
        consumer.Info.NumPending.ShouldBe(0UL);
    }

    [Fact]
    public async Task FetchAsync_Batch_ReturnsMessagesWithMetadataAndAcksRecord()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await ConnectAsync(fixture.Url, token);
        var (js, stream) = await StreamWithMessagesAsync(connection, 10, token);
        var consumer = await js.CreateConsumerAsync(stream, new ConsumerConfig { DurableName = "f" }, token);

        var batch = await TakeAsync(consumer.FetchAsync(new NatsJetStreamFetchOptions { MaxMessages = 4 }, token), 100, token);

        batch.Count.ShouldBe(4);
        for (var i = 0; i < 4; i++)
        {
            Text(batch[i].Data).ShouldBe("m" + i);
            batch[i].Metadata.Stream.ShouldBe(stream);
            batch[i].Metadata.Consumer.ShouldBe("f");
            batch[i].Metadata.StreamSequence.ShouldBe((ulong)i + 1);
            batch[i].Metadata.ConsumerSequence.ShouldBe((ulong)i + 1);
            batch[i].Metadata.NumDelivered.ShouldBe(1UL);
            batch[i].Metadata.NumPending.ShouldBe((ulong)(10 - i - 1));
            batch[i].Metadata.Timestamp.ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(-1));
            await batch[i].AckSyncAsync(cancellationToken: token);
        }

        var info = await consumer.RefreshInfoAsync(token);
        info.NumAckPending.ShouldBe(0);
        info.AckFloor!.StreamSeq.ShouldBe(4UL);
    }

    [Fact]
    public async Task FetchAsync_NoWaitOnEmptyAndExpiry_ReturnWhatThereIs()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await ConnectAsync(fixture.Url, token);
        var (js, stream) = await StreamWithMessagesAsync(connection, 3, token);
        var consumer = await js.CreateConsumerAsync(stream, new ConsumerConfig { DurableName = "nw", AckPolicy = ConsumerAckPolicy.None }, token);

        var expired = await TakeAsync(consumer.FetchAsync(new NatsJetStreamFetchOptions { MaxMessages = 10, Expires = TimeSpan.FromMilliseconds(500), IdleHeartbeat = TimeSpan.FromMilliseconds(100) }, token), 100, token);
        var noWait = await TakeAsync(consumer.FetchAsync(new NatsJetStreamFetchOptions { MaxMessages = 10, NoWait = true }, token), 100, token);

        expired.Count.ShouldBe(3);
        noWait.ShouldBeEmpty();
    }

    [Fact]
    public async Task FetchAsync_MaxBytes_StopsAtTheLimit()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await ConnectAsync(fixture.Url, token);
        var js = new NatsJetStreamContext(connection);
        var stream = UniqueName("C");
        await CreateStreamAsync(js, stream, cancellationToken: token);
        for (var i = 0; i < 10; i++)
        {
            await js.PublishAsync(stream + ".x", new byte[1000], cancellationToken: token);
        }

        var consumer = await js.CreateConsumerAsync(stream, new ConsumerConfig { DurableName = "mb" }, token);

        var batch = await TakeAsync(consumer.FetchAsync(new NatsJetStreamFetchOptions { MaxMessages = 10, MaxBytes = 3500, Expires = TimeSpan.FromSeconds(1) }, token), 100, token);

        batch.Count.ShouldBeInRange(1, 3);
    }

    [Fact]
    public async Task ConsumeAsync_BacklogThenLive_ConsumesEverythingInOrder()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await ConnectAsync(fixture.Url, token);
        var (js, stream) = await StreamWithMessagesAsync(connection, 300, token);
        var consumer = await js.CreateConsumerAsync(stream, new ConsumerConfig { DurableName = "c" }, token);
        var options = new NatsJetStreamConsumeOptions { MaxMessages = 50, Expires = TimeSpan.FromSeconds(2) };

        var consuming = Task.Run(async () =>
        {
            var seen = new List<string>();
            await foreach (var msg in consumer.ConsumeAsync(options, token))
            {
                seen.Add(Text(msg.Data));
                await msg.AckAsync(token);
                if (seen.Count == 600)
                {
                    break;
                }
            }

            return seen;
        }, token);
        for (var i = 300; i < 600; i++)
        {
            await js.PublishAsync(stream + ".live", Utf8("m" + i), cancellationToken: token);
        }

        var seen = await consuming;

        seen.ShouldBe(Enumerable.Range(0, 600).Select(i => "m" + i));
        (await consumer.RefreshInfoAsync(token)).NumPending.ShouldBe(0UL);
    }

    [Fact]
    public async Task NakTermAndInProgress_ChangeRedelivery()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await ConnectAsync(fixture.Url, token);
        var (js, stream) = await StreamWithMessagesAsync(connection, 3, token);
        var consumer = await js.CreateConsumerAsync(stream, new ConsumerConfig { DurableName = "nak", AckWait = TimeSpan.FromSeconds(20) }, token);
        var first = await TakeAsync(consumer.FetchAsync(new NatsJetStreamFetchOptions { MaxMessages = 3 }, token), 3, token);

        await first[0].NakAsync(cancellationToken: token);
        await first[1].TermAsync(token);
        await first[2].InProgressAsync(token);
        await first[2].NakAsync(TimeSpan.FromMilliseconds(300), token);
        var redelivered = await TakeAsync(consumer.FetchAsync(new NatsJetStreamFetchOptions { MaxMessages = 3, Expires = TimeSpan.FromSeconds(3) }, token), 2, token);

        redelivered.Select(m => Text(m.Data)).ShouldBe(["m0", "m2"]);
        redelivered.ShouldAllBe(m => m.Metadata.NumDelivered == 2);
        foreach (var msg in redelivered)
        {
            await msg.AckSyncAsync(cancellationToken: token);
        }

        (await consumer.RefreshInfoAsync(token)).NumAckPending.ShouldBe(0);
    }

    [Fact]
    public async Task ConsumeAsync_ConsumerDeleted_Throws()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await ConnectAsync(fixture.Url, token);
        var (js, stream) = await StreamWithMessagesAsync(connection, 1, token);
        var consumer = await js.CreateConsumerAsync(stream, new ConsumerConfig { DurableName = "gone" }, token);
        var options = new NatsJetStreamConsumeOptions { MaxMessages = 10, Expires = TimeSpan.FromSeconds(5), IdleHeartbeat = TimeSpan.FromSeconds(1) };

        var error = await Should.ThrowAsync<NatsJetStreamException>(async () =>
        {
            await foreach (var msg in consumer.ConsumeAsync(options, token))
            {
                await msg.AckAsync(token);
                await js.DeleteConsumerAsync(stream, "gone", token);
            }
        });

        error.Code.ShouldBe(409);
    }

    [Fact]
    public async Task OrderedConsumer_ConsumerDeletedUnderIt_RecreatesWithoutGapsOrRepeats()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await ConnectAsync(fixture.Url, token);
        var (js, stream) = await StreamWithMessagesAsync(connection, 100, token);
        var ordered = js.CreateOrderedConsumer(stream, new NatsOrderedConsumerOptions { MaxMessages = 10, IdleHeartbeat = TimeSpan.FromMilliseconds(500) });

        var seen = new List<ulong>();
        await foreach (var msg in ordered.ConsumeAsync(token))
        {
            seen.Add(msg.Metadata.StreamSequence);
            if (seen.Count == 30)
            {
                await js.DeleteConsumerAsync(stream, ordered.CurrentInfo!.Name, token);
            }

            if (seen.Count == 100)
            {
                break;
            }
        }

        seen.ShouldBe(Enumerable.Range(1, 100).Select(i => (ulong)i));
        ordered.Resets.ShouldBeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task OrderedConsumer_FilterAndStartSequence_YieldOnlyMatching()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await ConnectAsync(fixture.Url, token);
        var (js, stream) = await StreamWithMessagesAsync(connection, 20, token);
        var ordered = js.CreateOrderedConsumer(stream, new NatsOrderedConsumerOptions
        {
            FilterSubject = stream + ".odd",
            DeliverPolicy = ConsumerDeliverPolicy.ByStartSequence,
            OptStartSeq = 11,
        });

        var messages = await TakeAsync(ordered.ConsumeAsync(token), 5, token);

        messages.Select(m => Text(m.Data)).ShouldBe(["m11", "m13", "m15", "m17", "m19"]);
        ordered.CurrentInfo!.Config.AckPolicy.ShouldBe(ConsumerAckPolicy.None);
    }
}
