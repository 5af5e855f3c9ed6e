using System.Diagnostics;
using RecordKv.Contracts;
using RecordKv.Coordination;
using RecordKv.Simulator;
using RecordKv.Testing;

namespace RecordKv.Ingester.Tests;

[Collection(IngesterCollection.Name)]
public sealed class IngesterFailoverTests(NatsServerFixture fixture)
{
    [Fact]
    public async Task HotStandby_ActiveIngesterKilled_TakesOverWithinSecondsWithoutLoss()
    {
        var token = new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;
        var store = TestStore.Create();
        await using var connection = await RelayFrames.ConnectAsync(fixture.Url, token);
        var control = (await RecordKvStore.OpenAsync(connection, store.Options, cancellationToken: token)).Control;
        await using var simulator = await FirehoseSimulator.StartAsync(RelayFrames.Simulator(12_000, rate: 2000), cancellationToken: token);

        await using var active = IngesterProcess.Start(IngesterHarness.Arguments(fixture.Url, store, simulator.BaseUrl, "child", cursor: 0));
        long savedByChild = 0;
        while (savedByChild < 500)
        {
            active.HasExited.ShouldBeFalse(active.Output);
            var entry = await control.GetAsync(ControlKeys.IngestCursor("sim"), token);
            savedByChild = entry is null ? 0 : long.Parse(System.Text.Encoding.ASCII.GetString(entry.Value.Span), System.Globalization.CultureInfo.InvariantCulture);
            await Task.Delay(20, token);
        }

        await using var standby = await IngesterHarness.StartAsync(IngesterHarness.Arguments(fixture.Url, store, simulator.BaseUrl, "standby", cursor: null), token);
        var lease = await control.GetAsync(ControlKeys.IngestLease, token);
        LeaseRecord.Decode(lease!.Value.Span).Holder.ShouldBe("child");
        standby.Stats.IsLeader.ShouldBeFalse();

        var stopwatch = Stopwatch.StartNew();
        await active.KillAsync();
        await TestWait.UntilAsync(() => standby.Stats.IsLeader, token, "the standby to take over");
        stopwatch.Stop();

        stopwatch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(1.5 + 5), "takeover within the lease TTL plus slack for a loaded machine");
        await simulator.Completion.WaitAsync(token);
        var lastSeq = simulator.GetSummary().LastSeq;
        await TestWait.UntilAsync(() => standby.Stats.GapFreeCursor == lastSeq, token, "the standby to catch up");
        var emitted = await RelayFrames.EmittedAsync(simulator, lastSeq, store.Partitions, token);
        var stored = await RelayFrames.StoredAsync(connection, store.Names.FirehoseStream, token);
        stored.Select(m => long.Parse(m.Headers!.GetLastValue(AtprotoHeaders.Seq)!, System.Globalization.CultureInfo.InvariantCulture)).Order().ToList().ShouldBe(emitted.Keys.ToList(), "every frame exactly once");
    }
}
