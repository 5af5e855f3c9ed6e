using System.Text.Json;
using RecordKv.Builder;
using RecordKv.Contracts;
using RecordKv.Coordination;
using RecordKv.Nats;
using RecordKv.Simulator;
using RecordKv.Testing;

namespace RecordKv.Pipeline.Tests;

public sealed class ExactnessTests
{
    private const long Events = 3000;

    [Fact]
    public async Task TwoBuilders_SimulatorWithFaults_RecordBucketEqualsExpected()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var cancellationToken = timeout.Token;
        var faults = new Dictionary<SimulatorFault, double>
        {
            [SimulatorFault.BadSignature] = 0.01,
            [SimulatorFault.WrongKey] = 0.01,
            [SimulatorFault.HighS] = 0.01,
            [SimulatorFault.MissingProofBlock] = 0.01,
            [SimulatorFault.PrevDataGap] = 0.02,
            [SimulatorFault.StaleRev] = 0.01,
            [SimulatorFault.DuplicateFrame] = 0.01,
            [SimulatorFault.MalformedCbor] = 0.01,
            [SimulatorFault.TruncatedCar] = 0.01,
            [SimulatorFault.UnknownEventType] = 0.01,
            [SimulatorFault.GetRepoError] = 0.1,
            [SimulatorFault.GetRepoRateLimited] = 0.1,
        };
        await using var simulator = await FirehoseSimulator.StartAsync(PipelineHarness.SimulatorOptions(Events, faults), cancellationToken: cancellationToken);
        await using var nats = await NatsServerProcess.StartAsync(cancellationToken: cancellationToken);
        await using var connection = await NatsConnection.ConnectAsync(PipelineHarness.Nats(nats.Url), cancellationToken);
        var store = await RecordKvStore.OpenAsync(connection, PipelineHarness.StoreOptions, cancellationToken: cancellationToken);
        using var stopBuilders = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await using var first = await PipelineHarness.StartBuilderAsync(simulator, nats.Url, "b1", cancellationToken);
        await using var second = await PipelineHarness.StartBuilderAsync(simulator, nats.Url, "b2", cancellationToken);
        var runs = new[] { first.RunLeasedAsync(stopBuilders.Token), second.RunLeasedAsync(stopBuilders.Token) };
        var feed = await SimulatorFeeder.FeedAsync(simulator, Events, store.JetStream, store.Names, store.Partitioner, cancellationToken);
        ((long)feed.Published).ShouldBeGreaterThan(Events / 2);
        await PipelineHarness.WaitDrainedAsync(store.JetStream, cancellationToken);
        await stopBuilders.CancelAsync();
        await Task.WhenAll(runs);

        first.Partitions.Count.ShouldBe(0);
        (first.Metrics.Events + second.Metrics.Events).ShouldBeGreaterThan(0);
        var accounts = await PipelineHarness.ExpectedAsync(simulator, cancellationToken);
        var expected = PipelineHarness.ExpectedRecords(accounts);
        var actual = await PipelineHarness.RecordsAsync(store.Records, cancellationToken);
        expected.Count.ShouldBeGreaterThan(100);
        expected.Keys.Except(actual.Keys).ShouldBeEmpty("records missing from the store");
        actual.Keys.Except(expected.Keys).ShouldBeEmpty("records the store should not hold");
        foreach (var (uri, cid) in expected)
        {
            actual[uri].ShouldBe(cid, uri);
        }

        foreach (var (did, account) in accounts)
        {
            var entry = await store.Repos.GetAsync(RecordStoreKeys.RepoKeyFor(did), cancellationToken);
            entry.ShouldNotBeNull(did);
            var state = JsonSerializer.Deserialize<RepoState>(entry.Value.Span)!;
            state.Status.ShouldBe(account.GetProperty("status").GetString(), did);
            if (state.IsActive)
            {
                state.Rev.ShouldBe(account.GetProperty("rev").GetString(), did);
                state.Data.ShouldBe(account.GetProperty("data").GetString(), did);
                state.SyncState.ShouldBe(RepoSyncStates.Synchronized, did);
            }
        }

        var summary = simulator.GetSummary();
        var rejections = Merge(first.Metrics.Rejections, second.Metrics.Rejections);
        long Fault(string name) => summary.Faults.GetValueOrDefault(name);
        // A faulty event of a repository that a resync has already carried past is skipped by the rev guard, not
        // rejected, so rejections are bounded by the injected faults rather than equal to them.
        var described = Describe(rejections, summary);
        rejections.GetValueOrDefault("signature").ShouldBeInRange(1, Fault("bad-signature") + Fault("wrong-key") + Fault("high-s"), described);
        rejections.GetValueOrDefault("car").ShouldBeLessThanOrEqualTo(Fault("truncated-car"), described);
        rejections.GetValueOrDefault("inversion").ShouldBeLessThanOrEqualTo(Fault("missing-proof-block"), described);

        // A corrupted signature "still advances the repository", so getRepo can serve that commit until the next one:
        // such a resync is refused (and retried by the next event), never accepted.
        rejections.GetValueOrDefault(RejectionReasons.ResyncFailed).ShouldBeLessThanOrEqualTo(Fault("bad-signature") + Fault("wrong-key") + Fault("high-s"), described);
    }

    private static Dictionary<string, long> Merge(IReadOnlyDictionary<string, long> a, IReadOnlyDictionary<string, long> b)
    {
        var merged = new Dictionary<string, long>(a, StringComparer.Ordinal);
        foreach (var (key, value) in b)
        {
            merged[key] = merged.GetValueOrDefault(key) + value;
        }

        return merged;
    }

    private static string Describe(Dictionary<string, long> rejections, SimulatorSummary summary) =>
        $"rejections {string.Join(",", rejections.Select(p => $"{p.Key}={p.Value}"))}; {summary}";
}
