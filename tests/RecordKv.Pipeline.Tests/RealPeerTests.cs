using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RecordKv.Builder;
using RecordKv.Contracts;
using RecordKv.Coordination;
using RecordKv.Nats;
using RecordKv.Testing;
using Xunit.Abstractions;

namespace RecordKv.Pipeline.Tests;

/// <summary>
/// The pipeline against software nobody here wrote: Bluesky's reference PLC + PDS (refnet) driven by its drive.mjs,
/// our ingester on the PDS's firehose, two builders resolving identities through the reference PLC.
/// </summary>
public sealed class RealPeerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task IngesterAndTwoBuilders_ReferencePds_RecordBucketEqualsDriveExpectation()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        var cancellationToken = timeout.Token;
        await using var network = await RefNetNetwork.StartAsync(TimeSpan.FromSeconds(170), cancellationToken);
        await using var nats = await NatsServerProcess.StartAsync(cancellationToken: cancellationToken);
        await using var connection = await NatsConnection.ConnectAsync(PipelineHarness.Nats(nats.Url), cancellationToken);
        var store = await RecordKvStore.OpenAsync(connection, PipelineHarness.StoreOptions, cancellationToken: cancellationToken);
        using var stopBuilders = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await using var first = await StartBuilderAsync(network, nats.Url, "refnet-b1", cancellationToken);
        await using var second = await StartBuilderAsync(network, nats.Url, "refnet-b2", cancellationToken);
        var runs = new[] { first.RunLeasedAsync(stopBuilders.Token), second.RunLeasedAsync(stopBuilders.Token) };

        // Partitions settle between the builders before any frame flows, so no event is redelivered by a rebalance.
        await TestWait.UntilAsync(() => first.Partitions.Count == PipelineHarness.Partitions / 2 && second.Partitions.Count == PipelineHarness.Partitions / 2, cancellationToken, "the builders to share the partitions");
        await using var ingester = await PipelineIngester.StartAsync(nats.Url, new Uri($"ws://{network.Firehose.Authority}"), "refnet", cancellationToken);

        // Two runs, because drive.mjs deactivates its last accounts and either reactivates all of them or none.
        var reactivated = await RefNetDriver.DriveAsync(
            network,
            ["--accounts", "4", "--posts", "4", "--likes", "3", "--reposts", "2", "--follows", "2", "--updates", "2", "--deletes", "1", "--unlikes", "1", "--unfollows", "1", "--handle-changes", "2", "--deactivate", "1"],
            TimeSpan.FromSeconds(120),
            cancellationToken);
        var leftDeactivated = await RefNetDriver.DriveAsync(
            network,
            ["--accounts", "3", "--posts", "3", "--likes", "2", "--deactivate", "1", "--leave-deactivated"],
            TimeSpan.FromSeconds(120),
            cancellationToken);
        RefNetDriveSummary[] runsOfDrive = [reactivated, leftDeactivated];

        var frames = runsOfDrive.Sum(s => s.ExpectedFrames);
        await WaitForFramesAsync(store, frames, network, cancellationToken);
        await PipelineHarness.WaitDrainedAsync(store.JetStream, cancellationToken);
        await stopBuilders.CancelAsync();
        await Task.WhenAll(runs);

        var described = $"{Describe(first.Metrics)}; {Describe(second.Metrics)}";
        output.WriteLine($"{frames} frames; builders: {described}");
        (first.Metrics.RejectedTotal + second.Metrics.RejectedTotal).ShouldBe(0, $"the builders rejected events of the reference PDS: {described}");
        (first.Metrics.Commits + second.Metrics.Commits).ShouldBeGreaterThan(frames / 2, described);

        // The one resync is the reactivated account's (its records were hidden while it was deactivated). Any other
        // would mean our verification disagreed with the PDS's commit chain and a getRepo papered over it.
        (first.Metrics.Resyncs + second.Metrics.Resyncs).ShouldBe(runsOfDrive.Sum(s => s.Reactivated.Count), described);

        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        var hidden = new HashSet<string>(runsOfDrive.SelectMany(s => s.LeftDeactivated), StringComparer.Ordinal);
        foreach (var summary in runsOfDrive)
        {
            foreach (var (uri, cid) in summary.ExpectedRecords)
            {
                expected[uri] = cid;
            }

            // expectedRecords is expectedRecordUris less the accounts left deactivated, whose records are hidden.
            summary.ExpectedRecordUris.Where(u => !hidden.Contains(AtUriDid(u))).Order(StringComparer.Ordinal)
                .ShouldBe(summary.ExpectedRecords.Keys.Order(StringComparer.Ordinal));
        }

        hidden.Count.ShouldBe(1);
        expected.Count.ShouldBeGreaterThan(50);
        var actual = await PipelineHarness.RecordsAsync(store.Records, cancellationToken);
        expected.Keys.Except(actual.Keys).Order(StringComparer.Ordinal).ShouldBeEmpty("records of the reference PDS missing from the store");
        actual.Keys.Except(expected.Keys).Order(StringComparer.Ordinal).ShouldBeEmpty("records the store holds but the reference PDS does not (or hides)");
        foreach (var (uri, cid) in expected)
        {
            actual[uri].ShouldBe(cid, uri);
        }

        foreach (var did in runsOfDrive.SelectMany(s => s.Dids))
        {
            var entry = await store.Repos.GetAsync(RecordStoreKeys.RepoKeyFor(did), cancellationToken);
            entry.ShouldNotBeNull(did);
            var state = JsonSerializer.Deserialize<RepoState>(entry.Value.Span)!;
            state.Status.ShouldBe(hidden.Contains(did) ? "deactivated" : RepoStatuses.Active, did);
            new Uri(state.Pds.ShouldNotBeNull(did)).ShouldBe(network.PdsUrl, did);
            if (state.IsActive)
            {
                state.SyncState.ShouldBe(RepoSyncStates.Synchronized, did);
            }
        }
    }

    private static Task<BuilderRuntime> StartBuilderAsync(RefNetNetwork network, string natsUrl, string instance, CancellationToken cancellationToken) =>
        BuilderRuntime.StartAsync(
            new BuilderOptions
            {
                InstanceId = instance,
                PlcDirectory = network.PlcUrl.ToString(),
                // Generous lease and ack timing: nothing here is killed, and on a loaded machine a lapsed lease or an
                // ack deadline would redeliver events out of order behind newer ones of the same DID.
                LeaseRenewInterval = TimeSpan.FromSeconds(1),
                LeaseTtl = TimeSpan.FromSeconds(10),
                AckWait = TimeSpan.FromSeconds(90),
                HttpRetryDelay = TimeSpan.FromMilliseconds(100),
            },
            PipelineHarness.Nats(natsUrl),
            PipelineHarness.StoreOptions,
            Environment.GetEnvironmentVariable("RECORDKV_TEST_LOG") is null ? NullLoggerFactory.Instance : LoggerFactory.Create(b => b.AddConsole()),
            cancellationToken);

    /// <summary>Waits until the ingester has published every frame the drive runs put on the PDS's firehose.</summary>
    private static async Task WaitForFramesAsync(RecordKvStore store, long frames, RefNetNetwork network, CancellationToken cancellationToken)
    {
        ulong published = 0;
        try
        {
            while (true)
            {
                published = (await store.JetStream.GetStreamInfoAsync(store.Names.FirehoseStream, cancellationToken)).State.Messages;
                if ((long)published >= frames)
                {
                    return;
                }

                await Task.Delay(50, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The ingester published {published} of the {frames} frames the reference PDS emitted. The PDS's stderr:\n{network.StandardError}");
        }
    }

    private static string AtUriDid(string uri) => uri["at://".Length..uri.IndexOf('/', "at://".Length)];

    private static string Describe(BuilderMetrics metrics) =>
        $"events {metrics.Events}, commits {metrics.Commits}, resyncs {metrics.Resyncs}, stale {metrics.Stale}, rejected [{string.Join(", ", metrics.Rejections.Select(p => $"{p.Key}={p.Value}"))}]";
}
