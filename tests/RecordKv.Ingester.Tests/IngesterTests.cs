using System.Diagnostics;
using RecordKv.Contracts;
using RecordKv.Coordination;
using RecordKv.Nats.JetStream;
using RecordKv.Simulator;
using RecordKv.Testing;

namespace RecordKv.Ingester.Tests;

[Collection(IngesterCollection.Name)]
public sealed class IngesterTests(NatsServerFixture fixture)
{
    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    [Fact]
    public async Task Run_SimulatorStream_EveryFramePublishedOnceWithSubjectAndHeaders()
    {
        var token = Timeout();
        var store = TestStore.Create();
        await using var simulator = await FirehoseSimulator.StartAsync(RelayFrames.Simulator(3000), cancellationToken: token);
        await using var ingester = await IngesterHarness.StartAsync(IngesterHarness.Arguments(fixture.Url, store, simulator.BaseUrl, "a", cursor: 0), token);
        await simulator.Completion.WaitAsync(token);
        var lastSeq = simulator.GetSummary().LastSeq;

        await TestWait.UntilAsync(() => ingester.Stats.GapFreeCursor == lastSeq, token, "the cursor to reach the last seq");

        await using var connection = await RelayFrames.ConnectAsync(fixture.Url, token);
        var emitted = await RelayFrames.EmittedAsync(simulator, lastSeq, store.Partitions, token);
        var stored = await RelayFrames.StoredAsync(connection, store.Names.FirehoseStream, token);
        stored.Count.ShouldBe(emitted.Count);
        foreach (var msg in stored)
        {
            var seq = long.Parse(msg.Headers!.GetLastValue(AtprotoHeaders.Seq)!, System.Globalization.CultureInfo.InvariantCulture);
            var (route, frame) = emitted[seq];
            msg.Data.ToArray().ShouldBe(frame, $"frame {seq} is published unchanged");
            msg.Subject.ShouldBe(store.Names.FirehoseSubject(route.Partition));
            msg.Headers.GetLastValue("Nats-Msg-Id").ShouldBe($"sim:{seq}");
            msg.Headers.GetLastValue(AtprotoHeaders.Did).ShouldBe(route.Did);
            msg.Headers.GetLastValue(AtprotoHeaders.Event).ShouldBe(route.EventName);
        }

        stored.Select(m => m.Headers!.GetLastValue(AtprotoHeaders.Seq)).Distinct().Count().ShouldBe(stored.Count);
        ingester.Stats.DuplicateAcks.ShouldBe(0);
    }

    [Fact]
    public async Task Restart_FromSavedCursorAndFromAnEarlierOne_NoLossNoDuplicatesStored()
    {
        var token = Timeout();
        var store = TestStore.Create();
        await using var simulator = await FirehoseSimulator.StartAsync(RelayFrames.Simulator(4000), cancellationToken: token);
        await simulator.Completion.WaitAsync(token);
        var lastSeq = simulator.GetSummary().LastSeq;
        await using var connection = await RelayFrames.ConnectAsync(fixture.Url, token);

        long saved;
        await using (var first = await IngesterHarness.StartAsync(IngesterHarness.Arguments(fixture.Url, store, simulator.BaseUrl, "a", cursor: 0), token))
        {
            await TestWait.UntilAsync(() => first.Stats.GapFreeCursor >= lastSeq / 3, token, "a third of the frames");
            await first.StopAsync();
            var entry = await (await RecordKvStore.OpenAsync(connection, store.Options, cancellationToken: token)).Control.GetAsync(ControlKeys.IngestCursor("sim"), token);
            saved = long.Parse(System.Text.Encoding.ASCII.GetString(entry!.Value.Span), System.Globalization.CultureInfo.InvariantCulture);
            saved.ShouldBe(first.Stats.GapFreeCursor, "a clean stop saves the final gap-free cursor");
        }

        await using (var second = await IngesterHarness.StartAsync(IngesterHarness.Arguments(fixture.Url, store, simulator.BaseUrl, "b", cursor: null), token))
        {
            await TestWait.UntilAsync(() => second.Stats.GapFreeCursor == lastSeq, token, "the resumed ingester to finish");
            second.Stats.DuplicateAcks.ShouldBe(0, "it resumed after the saved cursor");
        }

        // A restart from an older cursor (as after a crash between saves) republishes: Nats-Msg-Id absorbs it.
        await using (var third = await IngesterHarness.StartAsync(IngesterHarness.Arguments(fixture.Url, store, simulator.BaseUrl, "c", cursor: saved / 2), token))
        {
            await TestWait.UntilAsync(() => third.Stats.GapFreeCursor == lastSeq, token, "the replaying ingester to finish");
            third.Stats.DuplicateAcks.ShouldBeGreaterThan(0);
        }

        var emitted = await RelayFrames.EmittedAsync(simulator, lastSeq, store.Partitions, token);
        var stored = await RelayFrames.StoredAsync(connection, store.Names.FirehoseStream, token);
        stored.Select(m => long.Parse(m.Headers!.GetLastValue(AtprotoHeaders.Seq)!, System.Globalization.CultureInfo.InvariantCulture)).Order().ShouldBe(emitted.Keys);
    }

    [Fact]
    public async Task Backpressure_BuilderConsumerNotAcking_PausesWithBoundedLagThenResumes()
    {
        var token = Timeout();
        var store = TestStore.Create();
        await using var connection = await RelayFrames.ConnectAsync(fixture.Url, token);
        await RecordKvStore.OpenAsync(connection, store.Options, cancellationToken: token);
        var js = new NatsJetStreamContext(connection);
        await js.CreateConsumerAsync(store.Names.FirehoseStream, new ConsumerConfig { DurableName = "kv-builder-0", AckPolicy = ConsumerAckPolicy.Explicit }, token);
        await using var simulator = await FirehoseSimulator.StartAsync(RelayFrames.Simulator(6000, rate: 3000), cancellationToken: token);
        var args = IngesterHarness.Arguments(fixture.Url, store, simulator.BaseUrl, "a", cursor: 0);
        args.AddRange(["--Ingester:HighWaterMark", "1000", "--Ingester:LowWaterMark", "200", "--Ingester:MaxInFlight", "256"]);
        await using var ingester = await IngesterHarness.StartAsync(args, token);

        await TestWait.UntilAsync(() => ingester.Stats.IsPaused, token, "the ingester to pause");
        var atPause = await RelayFrames.StreamCountAsync(connection, store.Names.FirehoseStream, token);
        await Task.WhenAny(simulator.Completion, Task.Delay(TimeSpan.FromMilliseconds(500), token));
        var whilePaused = await RelayFrames.StreamCountAsync(connection, store.Names.FirehoseStream, token);
        ingester.Stats.IsPaused.ShouldBeTrue();
        whilePaused.ShouldBeLessThan(1000ul + 256 + 500, "the lag is bounded by the high-water mark plus one check interval and the in-flight window");
        whilePaused.ShouldBeLessThanOrEqualTo(atPause + 256);

        // The builder catches up: acknowledging everything brings the backlog below the low-water mark.
        await js.DeleteConsumerAsync(store.Names.FirehoseStream, "kv-builder-0", token);
        await simulator.Completion.WaitAsync(token);
        var lastSeq = simulator.GetSummary().LastSeq;
        await TestWait.UntilAsync(() => ingester.Stats.GapFreeCursor == lastSeq, token, "the ingester to resume and finish");

        ingester.Stats.BackpressurePauses.ShouldBeGreaterThanOrEqualTo(1);
        ingester.Stats.RelayConnections.ShouldBe(1, "pausing must not cost the relay connection");
        var emitted = await RelayFrames.EmittedAsync(simulator, lastSeq, store.Partitions, token);
        (await RelayFrames.StreamCountAsync(connection, store.Names.FirehoseStream, token)).ShouldBe((ulong)emitted.Count);
    }

    [Fact]
    public async Task Start_ServerWithDefaultMaxPayload_RefusesWithClearMessage()
    {
        var token = Timeout();
        await using var server = await NatsServerProcess.StartAsync(new NatsServerProcessOptions { MaxPayload = "1MB" }, token);

        var error = await Should.ThrowAsync<RecordKvStoreException>(() => IngesterHarness.StartAsync(IngesterHarness.Arguments(server.Url, TestStore.Create(), new Uri("ws://127.0.0.1:9"), "a", null), token));

        error.Message.ShouldContain("max_payload is 1048576 bytes");
        error.Message.ShouldContain("max_payload: 8MB");
    }

    [Fact]
    public async Task Replay_UnpacedBacklogOfTensOfThousands_FlowsWithoutReconnectOrLoss()
    {
        var token = Timeout();
        var store = TestStore.Create();
        await using var simulator = await FirehoseSimulator.StartAsync(RelayFrames.Simulator(20_000), cancellationToken: token);
        await simulator.Completion.WaitAsync(token);
        var lastSeq = simulator.GetSummary().LastSeq;

        var stopwatch = Stopwatch.StartNew();
        await using var ingester = await IngesterHarness.StartAsync(IngesterHarness.Arguments(fixture.Url, store, simulator.BaseUrl, "a", cursor: 0), token);
        await TestWait.UntilAsync(() => ingester.Stats.GapFreeCursor == lastSeq, token, "the backlog to drain");
        stopwatch.Stop();

        ingester.Stats.RelayConnections.ShouldBe(1);
        await using var connection = await RelayFrames.ConnectAsync(fixture.Url, token);
        var count = await RelayFrames.StreamCountAsync(connection, store.Names.FirehoseStream, token);
        count.ShouldBe((ulong)ingester.Stats.Published);
        ((long)count + ingester.Stats.UnroutableFrames).ShouldBe(ingester.Stats.Read);
        ingester.Stats.Read.ShouldBeGreaterThanOrEqualTo(20_000);
        stopwatch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30));
    }
}
