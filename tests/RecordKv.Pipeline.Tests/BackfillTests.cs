using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RecordKv.Builder;
using RecordKv.Cli;
using RecordKv.Cli.Commands;
using RecordKv.Contracts;
using RecordKv.Coordination;
using RecordKv.Nats;
using RecordKv.Nats.KeyValue;
using RecordKv.Simulator;
using RecordKv.Testing;
using Xunit.Abstractions;

namespace RecordKv.Pipeline.Tests;

/// <summary>
/// <c>recordkv backfill</c> against the simulator's preloaded accounts, with builders processing the BACKFILL jobs:
/// the record bucket ends equal to <c>/_sim/expected</c> (restricted as asked), also when interrupted and rerun and
/// when live events run at the same time.
/// </summary>
public sealed class BackfillTests
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(150);

    private readonly ITestOutputHelper _output;

    public BackfillTests(ITestOutputHelper output) => _output = output;

    // RECORDKV_TEST_LOG=1 shows the builder's logs.
    private static readonly ILoggerFactory Logging = Environment.GetEnvironmentVariable("RECORDKV_TEST_LOG") is null ? NullLoggerFactory.Instance : LoggerFactory.Create(b => b.AddConsole());

    [Fact]
    public async Task Backfill_PreloadedAccounts_RecordBucketEqualsExpected()
    {
        using var timeout = new CancellationTokenSource(TestTimeout);
        await using var rig = await BackfillRig.StartAsync(Preloaded(accounts: 40), timeout.Token);

        var run = await rig.RunVerbAsync(timeout.Token);

        run.ExitCode.ShouldBe(0, run.Error);
        run.Output.ShouldContain("complete");
        run.Output.ShouldContain("40 repositories synchronized");
        var accounts = await PipelineHarness.ExpectedAsync(rig.Simulator, timeout.Token);
        await AssertRecordsEqualAsync(rig, PipelineHarness.ExpectedRecords(accounts), timeout.Token);
        foreach (var (did, account) in accounts)
        {
            var state = await ReadRepoStateAsync(rig.Store, did, timeout.Token);
            state.SyncState.ShouldBe(RepoSyncStates.Synchronized, did);
            state.Rev.ShouldBe(account.GetProperty("rev").GetString(), did);
            state.Data.ShouldBe(account.GetProperty("data").GetString(), did);
        }
    }

    [Fact]
    public async Task Backfill_InterruptedThenRerun_EndsExactWithEveryJobDoneOnce()
    {
        using var timeout = new CancellationTokenSource(TestTimeout);
        await using var rig = await BackfillRig.StartAsync(Preloaded(accounts: 60), timeout.Token);
        var request = new BackfillRequest(rig.Simulator.BaseUrl, [], null, NoWait: false, Restart: false, PageSize: 5, TimeSpan.FromMilliseconds(100));

        // Ctrl-C while the third page is being enqueued.
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        using var interrupting = new InterruptingHandler(pageToInterrupt: 3, interrupt);
        using (var host = new BackfillHostClient(request.Host, interrupting))
        {
            using var output = new StringWriter();
            var exitCode = await BackfillCommand.RunAsync(rig.Store, host, request, null, output, interrupt.Token);
            exitCode.ShouldBe(ExitCodes.Cancelled, output.ToString());
            output.ToString().ShouldContain("Run the same command again to resume");
        }

        var saved = BackfillQueue.DecodeRunState((await rig.Store.Control.GetAsync(ControlKeys.BackfillRun(request.Host.ToString()), timeout.Token))!.Value.Span);
        saved.ListingComplete.ShouldBeFalse();
        saved.Listed.ShouldBe(10, "two pages saved before the interrupted third");

        using (var host = new BackfillHostClient(request.Host))
        {
            using var output = new StringWriter();
            var exitCode = await BackfillCommand.RunAsync(rig.Store, host, request, null, output, timeout.Token);
            var consumers = await rig.Store.JetStream.ListConsumersAsync("BACKFILL", timeout.Token);
            exitCode.ShouldBe(ExitCodes.Success, output.ToString() + string.Join("\n", consumers.Select(c => $"{c.Name} pending {c.NumPending} ackpending {c.NumAckPending} waiting {c.NumWaiting} redelivered {c.NumRedelivered}")) + $" resyncs {rig.Builder.Metrics.Resyncs} rejected {rig.Builder.Metrics.RejectedTotal}");
            output.ToString().ShouldContain("resuming after 10 listed repositories");
        }

        var accounts = await PipelineHarness.ExpectedAsync(rig.Simulator, timeout.Token);
        await AssertRecordsEqualAsync(rig, PipelineHarness.ExpectedRecords(accounts), timeout.Token);

        // Each repository's job ran exactly once: the interrupted page's jobs enqueued twice were dropped as duplicates.
        var progress = await BackfillCommand.ReadProgressAsync(rig.Store.Control, saved.RunId, timeout.Token);
        progress.Finished.ShouldBe(60);
        progress.Errors.ShouldBe(0);
        rig.Builder.Metrics.Resyncs.ShouldBe(60);
    }

    [Fact]
    public async Task Backfill_Collections_StoresOnlyThoseCollections()
    {
        using var timeout = new CancellationTokenSource(TestTimeout);
        await using var rig = await BackfillRig.StartAsync(Preloaded(accounts: 30), timeout.Token);

        var run = await rig.RunVerbAsync(timeout.Token, "--collections", "app.bsky.feed.like,app.bsky.graph.*");

        run.ExitCode.ShouldBe(0, run.Error);
        var accounts = await PipelineHarness.ExpectedAsync(rig.Simulator, timeout.Token);
        var expected = PipelineHarness.ExpectedRecords(accounts)
            .Where(r => r.Key.Contains("/app.bsky.feed.like/", StringComparison.Ordinal) || r.Key.Contains("/app.bsky.graph.", StringComparison.Ordinal))
            .ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal);
        expected.Count.ShouldBeGreaterThan(10);
        expected.Count.ShouldBeLessThan(PipelineHarness.ExpectedRecords(accounts).Count);
        await AssertRecordsEqualAsync(rig, expected, timeout.Token);
    }

    [Fact]
    public async Task Backfill_DidsFile_BackfillsOnlyThoseRepositories()
    {
        using var timeout = new CancellationTokenSource(TestTimeout);
        await using var rig = await BackfillRig.StartAsync(Preloaded(accounts: 30), timeout.Token);
        var accounts = await PipelineHarness.ExpectedAsync(rig.Simulator, timeout.Token);
        var chosen = accounts.Keys.Order(StringComparer.Ordinal).Where((_, i) => i % 4 == 0).ToList();
        var file = Path.Combine(Path.GetTempPath(), $"recordkv-dids-{Guid.NewGuid():N}.txt");
        await File.WriteAllLinesAsync(file, ["# chosen repositories", .. chosen, "did:plc:notlistedanywhere0000"], timeout.Token);
        try
        {
            var run = await rig.RunVerbAsync(timeout.Token, "--dids", file);

            run.ExitCode.ShouldBe(0, run.Error);
            run.Output.ShouldContain($"{chosen.Count} repositories synchronized");
            var expected = PipelineHarness.ExpectedRecords(accounts.Where(a => chosen.Contains(a.Key)).ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal));
            expected.Count.ShouldBeGreaterThan(0);
            await AssertRecordsEqualAsync(rig, expected, timeout.Token);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Backfill_WhileLiveEventsRun_RecordBucketEqualsExpected()
    {
        const long Events = 1500;
        using var timeout = new CancellationTokenSource(TestTimeout);
        var simulatorOptions = PipelineHarness.SimulatorOptions(Events, new Dictionary<SimulatorFault, double>(), accounts: 60, rate: 250);

        // Live events alone would resync every repository they meet; without that, only the backfill brings a
        // repository's older records, so the store is exact only if backfill and live events interleave correctly.
        await using var rig = await BackfillRig.StartAsync(simulatorOptions, timeout.Token, resyncUnknownRepos: false);
        var feeding = SimulatorFeeder.FeedAsync(rig.Simulator, Events, rig.Store.JetStream, rig.Store.Names, rig.Store.Partitioner, timeout.Token);

        var run = await rig.RunVerbAsync(timeout.Token, "--page-size", "7");
        run.ExitCode.ShouldBe(0, run.Error);
        (await feeding).Published.ShouldBeGreaterThan((int)(Events / 2));
        await PipelineHarness.WaitDrainedAsync(rig.Store.JetStream, timeout.Token);

        var accounts = await PipelineHarness.ExpectedAsync(rig.Simulator, timeout.Token);
        await AssertRecordsEqualAsync(rig, PipelineHarness.ExpectedRecords(accounts), timeout.Token);
    }

    /// <summary>
    /// Backfill throughput: records/s into the store from getRepo of preloaded repositories (RECORDKV_BENCH_BACKFILL
    /// accounts × 20 records; 20 accounts by default so the suite stays quick). A measurement, not a timed test.
    /// </summary>
    [Fact]
    public async Task Backfill_PreloadedRepositories_ReportsRecordsPerSecond()
    {
        var accounts = int.TryParse(Environment.GetEnvironmentVariable("RECORDKV_BENCH_BACKFILL"), out var configured) ? configured : 20;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await using var rig = await BackfillRig.StartAsync(Preloaded(accounts) with { RecordsPerAccount = 20 }, timeout.Token);
        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var run = await rig.RunVerbAsync(timeout.Token, "--page-size", "1000");

        watch.Stop();
        var cpuUsed = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu;
        run.ExitCode.ShouldBe(0, run.Error);
        var records = (await PipelineHarness.RecordsAsync(rig.Store.Records, timeout.Token)).Count;
        records.ShouldBe(PipelineHarness.ExpectedRecords(await PipelineHarness.ExpectedAsync(rig.Simulator, timeout.Token)).Count);
        _output.WriteLine(
            $"backfill of {accounts} repositories: {records} records in {watch.Elapsed.TotalSeconds:F1} s = {records / watch.Elapsed.TotalSeconds:F0} records/s; " +
            $"test-process CPU {cpuUsed.TotalSeconds:F1} s ({cpuUsed.TotalMicroseconds / Math.Max(1, records):F0} µs per record, simulator included); load average {File.ReadAllText("/proc/loadavg").Trim()}");
    }

    private static SimulatorOptions Preloaded(int accounts) => new()
    {
        Port = 0,
        Seed = 5,
        Accounts = accounts,
        RecordsPerAccount = 12,
        Events = 0,
        BatchSize = 64,
    };

    private static async Task AssertRecordsEqualAsync(BackfillRig rig, Dictionary<string, string> expected, CancellationToken cancellationToken)
    {
        var actual = await PipelineHarness.RecordsAsync(rig.Store.Records, cancellationToken);
        expected.Count.ShouldBeGreaterThan(0);
        expected.Keys.Except(actual.Keys).ShouldBeEmpty("records missing from the store");
        actual.Keys.Except(expected.Keys).ShouldBeEmpty("records the store should not hold");
        foreach (var (uri, cid) in expected)
        {
            actual[uri].ShouldBe(cid, uri);
        }
    }

    private static async Task<RepoState> ReadRepoStateAsync(RecordKvStore store, string did, CancellationToken cancellationToken)
    {
        var entry = await store.Repos.GetAsync(RecordStoreKeys.RepoKeyFor(did), cancellationToken);
        entry.ShouldNotBeNull(did);
        entry.Operation.ShouldBe(NatsKvOperation.Put);
        return JsonSerializer.Deserialize<RepoState>(entry.Value.Span)!;
    }

    /// <summary>A simulator, a nats-server, the store and one leased builder consuming live and backfill jobs.</summary>
    private sealed class BackfillRig : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stopBuilder = new();
        private NatsServerProcess? _nats;
        private NatsConnection? _connection;
        private Task? _builderRun;
        private BackfillWorker? _worker;

        public FirehoseSimulator Simulator { get; private set; } = null!;

        public RecordKvStore Store { get; private set; } = null!;

        public BuilderRuntime Builder { get; private set; } = null!;

        public static async Task<BackfillRig> StartAsync(SimulatorOptions simulatorOptions, CancellationToken cancellationToken, bool resyncUnknownRepos = true)
        {
            var rig = new BackfillRig();
            try
            {
                rig.Simulator = await FirehoseSimulator.StartAsync(simulatorOptions, cancellationToken: cancellationToken);
                rig._nats = await NatsServerProcess.StartAsync(cancellationToken: cancellationToken);
                rig._connection = await NatsConnection.ConnectAsync(PipelineHarness.Nats(rig._nats.Url), cancellationToken);
                rig.Store = await RecordKvStore.OpenAsync(rig._connection, PipelineHarness.StoreOptions, cancellationToken: cancellationToken);
                var builderOptions = PipelineHarness.BuilderOptions(rig.Simulator, "backfill-builder") with { ResyncUnknownRepos = resyncUnknownRepos };
                rig.Builder = await BuilderRuntime.StartAsync(builderOptions, PipelineHarness.Nats(rig._nats.Url), PipelineHarness.StoreOptions, Logging, cancellationToken);
                rig._builderRun = rig.Builder.RunLeasedAsync(rig._stopBuilder.Token);
                rig._worker = BackfillWorker.Start(rig.Builder, builderOptions, new BackfillOptions { PollInterval = TimeSpan.FromMilliseconds(200) }, Logging.CreateLogger("RecordKv.Builder.Backfill"), rig._stopBuilder.Token);
                return rig;
            }
            catch
            {
                await rig.DisposeAsync();
                throw;
            }
        }

        public string NatsUrl => _nats!.Url;

        /// <summary>Runs <c>recordkv backfill --host SIM --server NATS ARGS</c> in-process.</summary>
        public async Task<(int ExitCode, string Output, string Error)> RunVerbAsync(CancellationToken cancellationToken, params string[] args)
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            var exitCode = await CliApplication.RunAsync(["backfill", "--host", Simulator.BaseUrl.ToString(), "--server", NatsUrl, "--interval", "0.1", .. args], output, error, cancellationToken);
            return (exitCode, output.ToString(), error.ToString());
        }

        public async ValueTask DisposeAsync()
        {
            await _stopBuilder.CancelAsync();
            if (_worker is not null)
            {
                await _worker.DisposeAsync();
            }

            if (_builderRun is not null)
            {
                try
                {
                    await _builderRun;
                }
                catch (OperationCanceledException)
                {
                    // Stopped while still taking its first leases.
                }
            }

            if (Builder is not null)
            {
                await Builder.DisposeAsync();
            }

            if (_connection is not null)
            {
                await _connection.DisposeAsync();
            }

            if (_nats is not null)
            {
                await _nats.DisposeAsync();
            }

            if (Simulator is not null)
            {
                await Simulator.DisposeAsync();
            }

            _stopBuilder.Dispose();
        }
    }

    /// <summary>Passes requests through and cancels <c>interrupt</c> as the answer to the Nth listRepos page arrives (a Ctrl-C mid-page).</summary>
    private sealed class InterruptingHandler : DelegatingHandler
    {
        private readonly int _pageToInterrupt;
        private readonly CancellationTokenSource _interrupt;
        private int _pages;

        public InterruptingHandler(int pageToInterrupt, CancellationTokenSource interrupt)
            : base(new SocketsHttpHandler())
        {
            _pageToInterrupt = pageToInterrupt;
            _interrupt = interrupt;
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (request.RequestUri!.AbsolutePath.EndsWith("listRepos", StringComparison.Ordinal) && request.RequestUri.Query.Contains("limit=5", StringComparison.Ordinal)
                && Interlocked.Increment(ref _pages) == _pageToInterrupt)
            {
                await _interrupt.CancelAsync();
            }

            return response;
        }
    }
}
