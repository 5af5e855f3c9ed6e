using RecordKv.Builder;
using RecordKv.Coordination;
using RecordKv.Nats;
using RecordKv.Simulator;
using RecordKv.Testing;

namespace RecordKv.Pipeline.Tests;

/// <summary>A builder that starts far behind the stream, on repositories whose PDS state has moved on since.</summary>
public sealed class BuilderBacklogTests
{
    /// <summary>
    /// The whole run is in FIREHOSE before the builder starts, so every account's first commit resyncs against the
    /// simulator's final state, and accounts that end deactivated, taken down or deleted cannot be fetched. Each of
    /// their commits queued behind that failure used to fetch the repository again (one deactivated account was
    /// fetched 82 times in 45 s at 2k events/s); now the retry schedule alone fetches it again, and with retries
    /// far off, an unavailable repository is fetched about once per time it turns unavailable.
    /// </summary>
    [Fact]
    public async Task Backlog_AccountsInactiveAtTheirPds_FetchedOncePerFailureNotOncePerCommit()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var cancellationToken = timeout.Token;
        await using var nats = await NatsServerProcess.StartAsync(cancellationToken: cancellationToken);
        await using var connection = await NatsConnection.ConnectAsync(PipelineHarness.Nats(nats.Url), cancellationToken);
        var store = await RecordKvStore.OpenAsync(connection, PipelineHarness.StoreOptions, cancellationToken: cancellationToken);
        var noFaults = new Dictionary<SimulatorFault, double>();
        await using var simulator = await FirehoseSimulator.StartAsync(PipelineHarness.SimulatorOptions(3000, noFaults, accounts: 20, rate: 0), cancellationToken: cancellationToken);
        while (!simulator.IsComplete)
        {
            await Task.Delay(20, cancellationToken);
        }

        await SimulatorFeeder.FeedAsync(simulator, simulator.GetSummary().LastSeq, store.JetStream, store.Names, store.Partitioner, cancellationToken);
        var accounts = await PipelineHarness.ExpectedAsync(simulator, cancellationToken);
        var inactive = accounts.Values.Count(account => !account.GetProperty("active").GetBoolean());
        var stats = await PipelineHarness.SimulatorStatsAsync(simulator, cancellationToken);
        var accountEvents = stats.GetProperty("byType").GetProperty("#account").GetInt64();
        var commits = stats.GetProperty("byType").GetProperty("#commit").GetInt64();
        inactive.ShouldBeGreaterThan(0, "the run must end with accounts the simulator no longer serves");

        using var stopBuilder = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var options = PipelineHarness.BuilderOptions(simulator, "backlog") with
        {
            LeaseTtl = TimeSpan.FromSeconds(30),
            LeaseRenewInterval = TimeSpan.FromSeconds(1),
            AckWait = TimeSpan.FromSeconds(30),
            // No scheduled retry comes due during the run: every fetch counted below was started by an event.
            ResyncRetryMinDelay = TimeSpan.FromMinutes(2),
            ResyncRetryMaxDelay = TimeSpan.FromMinutes(4),
        };
        await using var builder = await PipelineHarness.StartBuilderAsync(options, nats.Url, cancellationToken);
        var run = builder.RunLeasedAsync(stopBuilder.Token);
        await PipelineHarness.WaitDrainedAsync(store.JetStream, cancellationToken);
        await stopBuilder.CancelAsync();
        await run;

        // A repository turns unavailable at most once per #account event, and each time costs one failed fetch; the
        // commits queued behind it wait for the retry instead.
        var unavailable = builder.Metrics.Rejections.GetValueOrDefault(RejectionReasons.RepoUnavailable);
        var described = $"unavailable {unavailable}, deferred {builder.Metrics.ResyncsDeferred}, inactive accounts {inactive}, #account {accountEvents}, #commit {commits}, resyncs {builder.Metrics.Resyncs}";
        unavailable.ShouldBeGreaterThan(0, described);
        unavailable.ShouldBeLessThanOrEqualTo(accountEvents, described);
        builder.Metrics.ResyncsDeferred.ShouldBeGreaterThan(0, described);

        // And the store is exact all the same: active accounts hold their final records, inactive ones none.
        var expected = PipelineHarness.ExpectedRecords(accounts);
        var actual = await PipelineHarness.RecordsAsync(store.Records, cancellationToken);
        expected.Keys.Except(actual.Keys).ShouldBeEmpty("records missing from the store");
        actual.Keys.Except(expected.Keys).ShouldBeEmpty("records the store should not hold");
        foreach (var (uri, cid) in expected)
        {
            actual[uri].ShouldBe(cid, uri);
        }
    }
}
