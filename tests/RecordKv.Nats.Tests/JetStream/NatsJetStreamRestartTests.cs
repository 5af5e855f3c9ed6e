using System.Collections.Concurrent;
using System.Globalization;
using RecordKv.Nats.JetStream;
using RecordKv.Testing;
using static RecordKv.Nats.Tests.JetStream.JetStreamTestSupport;

namespace RecordKv.Nats.Tests.JetStream;

/// <summary>Server restarts and node failures in the middle of publishing and consuming; each test runs its own servers.</summary>
public sealed class NatsJetStreamRestartTests
{
    private static byte[] Payload(int index) => Utf8(string.Create(CultureInfo.InvariantCulture, $"message {index}"));

    /// <summary>Publishes every message (ids <c>m&lt;i&gt;</c>), republishing failures until each is acknowledged; <paramref name="midway"/> runs after a third.</summary>
    private static async Task<ulong[]> PublishAllAsync(NatsJetStreamContext js, string subject, int count, Func<Task> midway, CancellationToken token, bool awaitMidway = false)
    {
        await using var publisher = await js.CreatePublisherAsync(new NatsJetStreamPublisherOptions { MaxInFlight = 128, AckTimeout = TimeSpan.FromSeconds(1) }, token);
        var acked = new ulong[count];
        var indexOf = new ConcurrentDictionary<long, int>();
        var retries = System.Threading.Channels.Channel.CreateUnbounded<int>();
        var ackedCount = 0;
        var reading = Task.Run(async () =>
        {
            await foreach (var result in publisher.Results.ReadAllAsync(token))
            {
                indexOf.TryRemove(result.PublishId, out var index).ShouldBeTrue();
                if (result.IsSuccess)
                {
                    acked[index] = result.Ack.Sequence;
                    if (++ackedCount == count)
                    {
                        retries.Writer.TryComplete();
                        return;
                    }
                }
                else
                {
                    retries.Writer.TryWrite(index);
                }
            }
        }, token);

        long nextId = 0;
        async Task PublishAsync(int index)
        {
            indexOf[nextId++] = index;
            await publisher.PublishAsync(subject, Payload(index), options: new NatsJetStreamPublishOptions { MsgId = "m" + index.ToString(CultureInfo.InvariantCulture) }, cancellationToken: token);
        }

        Task? midwayTask = null;
        for (var i = 0; i < count; i++)
        {
            if (i == count / 3)
            {
                midwayTask = Task.Run(midway, token);
                if (awaitMidway)
                {
                    await midwayTask;
                }
            }

            await PublishAsync(i);
        }

        await foreach (var index in retries.Reader.ReadAllAsync(token))
        {
            await PublishAsync(index);
        }

        await reading;
        await midwayTask!;
        return acked;
    }

    private static async Task AssertStoredAsync(NatsJetStreamContext js, string stream, ulong[] acked, CancellationToken token)
    {
        (await RetryAsync(() => js.GetStreamInfoAsync(stream, token), token)).State.Messages.ShouldBe((ulong)acked.Length);
        for (var i = 0; i < acked.Length; i += 7)
        {
            var sequence = acked[i];
            Text((await RetryAsync(() => js.GetMessageAsync(stream, sequence, token), token)).Data).ShouldBe($"message {i}");
        }
    }

    /// <summary>Retries an API call while a cluster elects leaders (timeouts, 503) until it answers or the test times out.</summary>
    private static async Task<T> RetryAsync<T>(Func<Task<T>> call, CancellationToken token)
    {
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception e) when (e is NatsTimeoutException || (e is NatsJetStreamException error && (error.Code is 503 or 500 or 0 || error.ErrorCode == 10008)))
            {
                await Task.Delay(100, token);
            }
        }
    }

    [Fact]
    public async Task Publisher_ServerKilledAndRestartedMidStream_EveryAckedMessageIsStored()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var server = await NatsServerProcess.StartAsync(cancellationToken: token);
        await using var connection = await ConnectAsync(server.Url, token);
        var js = new NatsJetStreamContext(connection);
        var stream = UniqueName("R");
        await CreateStreamAsync(js, stream, cancellationToken: token);

        var acked = await PublishAllAsync(js, stream + ".x", 3000, () => server.RestartAsync(kill: true, token), token);

        acked.ShouldAllBe(sequence => sequence > 0);
        acked.Distinct().Count().ShouldBe(acked.Length);
        await AssertStoredAsync(js, stream, acked, token);
    }

    [Fact]
    public async Task Consume_ServerRestartedMidConsume_EveryMessageConsumedAndConfirmedAcksNotRedelivered()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var server = await NatsServerProcess.StartAsync(cancellationToken: token);
        await using var connection = await ConnectAsync(server.Url, token);
        var js = new NatsJetStreamContext(connection);
        var stream = UniqueName("R");
        await CreateStreamAsync(js, stream, cancellationToken: token);
        const int count = 1500;
        await PublishAllAsync(js, stream + ".x", count, () => Task.CompletedTask, token);
        // A small buffer and short ack timeouts keep every buffered message well inside the ack wait even while the server is
        // down, so a confirmed ack that is redelivered can only be the server forgetting it.
        var consumer = await js.CreateConsumerAsync(stream, new ConsumerConfig { DurableName = "worker", AckWait = TimeSpan.FromSeconds(5) }, token);
        var options = new NatsJetStreamConsumeOptions { MaxMessages = 10, Expires = TimeSpan.FromSeconds(5), IdleHeartbeat = TimeSpan.FromMilliseconds(500) };

        var confirmed = new HashSet<ulong>();
        var seen = new HashSet<ulong>();
        var redeliveredAfterConfirm = 0;
        var deliveries = 0;
        Task? restart = null;
        await foreach (var msg in consumer.ConsumeAsync(options, token))
        {
            var sequence = msg.Metadata.StreamSequence;
            seen.Add(sequence);
            if (confirmed.Contains(sequence))
            {
                redeliveredAfterConfirm++;
                continue;
            }

            if (++deliveries == count / 3)
            {
                // A graceful restart: a killed 2.9 server may lose consumer ack state it had not yet flushed (at-least-once still holds).
                restart = server.RestartAsync(kill: false, token);
            }

            try
            {
                await msg.AckSyncAsync(TimeSpan.FromMilliseconds(250), token);
                confirmed.Add(sequence);
            }
            catch (NatsException)
            {
                // Not confirmed: the server redelivers it after the ack wait, unless the ack arrived and only the reply was lost.
            }

            if (seen.Count == count)
            {
                break;
            }
        }

        await restart!;
        redeliveredAfterConfirm.ShouldBe(0);
        seen.Count.ShouldBe(count);
        confirmed.Count.ShouldBeGreaterThan(count / 2);
        (await consumer.RefreshInfoAsync(token)).NumPending.ShouldBe(0UL);
    }

    [Fact]
    public async Task Cluster_StreamLeaderKilled_PublishingAndConsumingCarryOn()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var cluster = await NatsCluster.StartAsync(3, cancellationToken: token);
        await using var connection = await ConnectAsync(cluster.Urls, token);
        var js = new NatsJetStreamContext(connection);
        var stream = UniqueName("R3");
        var info = await CreateReplicatedStreamAsync(js, stream, token);
        var consumer = await js.CreateConsumerAsync(stream, new ConsumerConfig { DurableName = "worker", AckWait = TimeSpan.FromSeconds(2) }, token);
        var leader = info.Cluster!.Leader;
        var leaderIndex = Enumerable.Range(0, cluster.Nodes.Count).Single(i => cluster.Nodes[i].ServerName == leader);

        var acked = await PublishAllAsync(js, stream + ".x", 1500, () => cluster.KillNodeAsync(leaderIndex, token), token, awaitMidway: true);

        await AssertStoredAsync(js, stream, acked, token);
        var after = await RetryAsync(() => js.GetStreamInfoAsync(stream, token), token);
        after.Cluster!.Leader.ShouldNotBe(leader);
        var options = new NatsJetStreamConsumeOptions { MaxMessages = 200, Expires = TimeSpan.FromSeconds(5), IdleHeartbeat = TimeSpan.FromMilliseconds(500) };
        var consumed = new HashSet<ulong>();
        await foreach (var msg in consumer.ConsumeAsync(options, token))
        {
            consumed.Add(msg.Metadata.StreamSequence);
            await msg.AckAsync(token);
            if (consumed.Count == acked.Length)
            {
                break;
            }
        }

        consumed.SetEquals(acked).ShouldBeTrue();
    }

    private static async Task<StreamInfo> CreateReplicatedStreamAsync(NatsJetStreamContext js, string stream, CancellationToken token)
    {
        // The JetStream meta group elects its leader shortly after the cluster forms; until then creates fail.
        return await RetryAsync(async () =>
        {
            try
            {
                return await CreateStreamAsync(js, stream, c => c with { NumReplicas = 3 }, token);
            }
            catch (NatsJetStreamException e) when (e.ErrorCode == 10058)
            {
                // An earlier attempt timed out on our side but created the stream.
                return await js.GetStreamInfoAsync(stream, token);
            }
        }, token);
    }
}
