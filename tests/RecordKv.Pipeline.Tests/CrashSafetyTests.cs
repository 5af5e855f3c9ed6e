using System.Text.Json;
using RecordKv.Builder;
using RecordKv.Contracts;
using RecordKv.Simulator;

namespace RecordKv.Pipeline.Tests;

/// <summary>
/// The whole pipeline with the ingester and two builders as child processes, while the test SIGKILLs the ingester and
/// one builder several times (at points chosen from progress) and restarts them: the store must still end up exact.
/// </summary>
public sealed class CrashSafetyTests
{
    private const long Events = 3000;
    private const int Kills = 3;

    [Fact]
    public async Task Pipeline_IngesterAndBuilderKilledRepeatedly_RecordBucketEqualsExpected()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        var cancellationToken = timeout.Token;
        var faults = new Dictionary<SimulatorFault, double>
        {
            [SimulatorFault.BadSignature] = 0.01,
            [SimulatorFault.PrevDataGap] = 0.02,
            [SimulatorFault.DuplicateFrame] = 0.02,
        };
        // Account events (deactivations, takedowns, deletions) and key rotations are on by default.
        await using var pipeline = await CrashPipeline.StartAsync(PipelineHarness.SimulatorOptions(Events, faults, accounts: 40, rate: 400), cancellationToken);
        var log = new List<string>();
        try
        {
            await RunWithKillsAsync(pipeline, log, cancellationToken);
            await AssertExactAsync(pipeline, cancellationToken);
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"{e.Message}\nkills: {string.Join("; ", log)}\n{pipeline.Simulator.GetSummary()}\nconsumers: {await ConsumerStatesAsync(pipeline)}\n{pipeline.ChildOutput}", e);
        }
    }

    // Where a run that did not drain is stuck: each builder consumer's pending, ack-pending and redelivered counts.
    private static async Task<string> ConsumerStatesAsync(CrashPipeline pipeline)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var consumers = await pipeline.Store.JetStream.ListConsumersAsync(pipeline.Store.Names.FirehoseStream, timeout.Token);
            return string.Join("; ", consumers.OrderBy(c => c.Name, StringComparer.Ordinal).Select(c => $"{c.Name} pending {c.NumPending} ack-pending {c.NumAckPending} redelivered {c.NumRedelivered} waiting {c.NumWaiting}"));
        }
        catch (Exception e) when (e is OperationCanceledException or RecordKv.Nats.NatsException)
        {
            return $"unavailable ({e.GetType().Name})";
        }
    }

    private static async Task RunWithKillsAsync(CrashPipeline pipeline, List<string> log, CancellationToken cancellationToken)
    {
        // The ingester runs with a hot standby, so a kill costs a lease TTL rather than a .NET start-up on a loaded
        // machine. A standby starts only once the leader holds the lease and has saved a cursor (a standby that won the
        // first race would tail live, as configured); every killed leader is replaced by a new standby.
        var leaderId = "ingester-0";
        var leader = pipeline.StartIngester(leaderId, cursor: 0);
        var standbyId = "ingester-1";
        ServiceProcess? standby = null;
        var survivor = pipeline.StartBuilder("builder-a");
        var victimId = "builder-b0";
        var victim = pipeline.StartBuilder(victimId);

        // Kill points from progress, spread over the run: the ingester by its saved cursor, the builder by frames built.
        long[] ingestKillAt = [Events * 20 / 100, Events * 45 / 100, Events * 70 / 100];
        long[] buildKillAt = [Events * 15 / 100, Events * 40 / 100, Events * 65 / 100];
        var ingesterKills = 0;
        var builderKills = 0;
        while (ingesterKills < Kills || builderKills < Kills)
        {
            ShouldBeRunning(leader, standby, survivor, victim);
            var holder = await pipeline.LeaseHolderAsync(ControlKeys.IngestLease, cancellationToken);
            if (holder == standbyId && standby is not null)
            {
                // A slow renewal on a loaded machine can hand the lease over by itself: follow the roles.
                (leader, leaderId, standby, standbyId) = (standby, standbyId, leader, leaderId);
            }

            var cursor = await pipeline.SavedCursorAsync(cancellationToken);
            if (standby is null && holder == leaderId && cursor > 0)
            {
                standby = pipeline.StartIngester(standbyId, cursor: null);
            }

            if (ingesterKills < Kills && standby is not null && holder == leaderId && cursor >= ingestKillAt[ingesterKills])
            {
                // Killed while leading: the lease is not released and the cursor not saved; the standby waits for the
                // lease to expire and resumes after the cursor saved last.
                await leader.KillAsync();
                ingesterKills++;
                log.Add($"{leaderId} killed at saved cursor {cursor}");
                (leader, leaderId) = (standby, standbyId);
                standby = null;
                standbyId = $"ingester-{ingesterKills + 1}";
            }

            if (builderKills < Kills
                && await pipeline.BuiltAsync(cancellationToken) is var built && built >= buildKillAt[builderKills]
                && await pipeline.PartitionsHeldAsync(victimId, cancellationToken) is var held && held > 0)
            {
                // Killed while holding partitions, usually mid-event: its unacked events come back to whoever takes over.
                await victim.KillAsync();
                builderKills++;
                log.Add($"{victimId} killed holding {held} partitions at {built} frames built");
                victimId = $"builder-b{builderKills}";
                victim = pipeline.StartBuilder(victimId);
            }

            await Task.Delay(50, cancellationToken);
        }

        await pipeline.Simulator.Completion.WaitAsync(cancellationToken);
        var lastSeq = pipeline.Simulator.GetSummary().LastSeq;
        while (await pipeline.SavedCursorAsync(cancellationToken) < lastSeq)
        {
            ShouldBeRunning(leader, standby, survivor, victim);
            await Task.Delay(50, cancellationToken);
        }

        await PipelineHarness.WaitDrainedAsync(pipeline.Store.JetStream, cancellationToken);
        ShouldBeRunning(leader, standby, survivor, victim);
        log.Add($"drained after the last frame (seq {lastSeq})");
    }

    private static async Task AssertExactAsync(CrashPipeline pipeline, CancellationToken cancellationToken)
    {
        var summary = pipeline.Simulator.GetSummary();
        summary.Faults.GetValueOrDefault("bad-signature").ShouldBeGreaterThan(0);
        summary.Faults.GetValueOrDefault("prevdata-gap").ShouldBeGreaterThan(0);
        var duplicates = summary.Faults.GetValueOrDefault("duplicate-frame");
        duplicates.ShouldBeGreaterThan(0);

        // Every frame stored exactly once although three ingesters died mid-stream (Nats-Msg-Id absorbs the replays).
        var stream = await pipeline.Store.JetStream.GetStreamInfoAsync(pipeline.Store.Names.FirehoseStream, cancellationToken);
        ((long)stream.State.Messages).ShouldBe(summary.Frames - duplicates, "frames in FIREHOSE: every distinct frame once");

        var accounts = await PipelineHarness.ExpectedAsync(pipeline.Simulator, cancellationToken);
        accounts.Values.Count(a => a.GetProperty("status").GetString() == "deleted").ShouldBeGreaterThan(0, "the run includes an account deletion");
        var expected = PipelineHarness.ExpectedRecords(accounts);
        expected.Count.ShouldBeGreaterThan(100);
        var actual = await PipelineHarness.RecordsAsync(pipeline.Store.Records, cancellationToken);
        var wrong = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        void Wrong(string did, string what) => (wrong.TryGetValue(did, out var list) ? list : wrong[did] = []).Add(what);
        foreach (var (uri, cid) in expected)
        {
            if (!actual.TryGetValue(uri, out var stored))
            {
                Wrong(RecordId.ParseAtUri(uri).Did, "missing " + uri);
            }
            else if (stored != cid)
            {
                Wrong(RecordId.ParseAtUri(uri).Did, $"{uri}: CID {stored}, expected {cid}");
            }
        }

        foreach (var uri in actual.Keys.Where(uri => !expected.ContainsKey(uri)))
        {
            Wrong(RecordId.ParseAtUri(uri).Did, "extra " + uri);
        }

        var states = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (did, account) in accounts)
        {
            var entry = await pipeline.Store.Repos.GetAsync(RecordStoreKeys.RepoKeyFor(did), cancellationToken);
            if (entry is null)
            {
                Wrong(did, "no repo state");
                continue;
            }

            states[did] = System.Text.Encoding.UTF8.GetString(entry.Value.Span);
            var state = JsonSerializer.Deserialize<RepoState>(entry.Value.Span)!;
            var status = account.GetProperty("status").GetString();
            if (state.Status != status)
            {
                Wrong(did, $"status {state.Status}, expected {status}");
            }
            else if (state.IsActive && (state.Rev != account.GetProperty("rev").GetString() || state.Data != account.GetProperty("data").GetString() || state.SyncState != RepoSyncStates.Synchronized))
            {
                Wrong(did, $"state rev {state.Rev} data {state.Data} {state.SyncState}, expected rev {account.GetProperty("rev").GetString()} data {account.GetProperty("data").GetString()}");
            }
        }

        if (wrong.Count > 0)
        {
            throw new ShouldAssertException(await DescribeAsync(pipeline, wrong, states, accounts, cancellationToken));
        }
    }

    /// <summary>For each repository the store got wrong: what is wrong, its stored and expected state, and its events in FIREHOSE.</summary>
    private static async Task<string> DescribeAsync(
        CrashPipeline pipeline, SortedDictionary<string, List<string>> wrong, Dictionary<string, string> states, Dictionary<string, JsonElement> accounts, CancellationToken cancellationToken)
    {
        var text = new System.Text.StringBuilder($"{wrong.Count} repositories differ from /_sim/expected:\n");
        var stream = await pipeline.Store.JetStream.GetStreamInfoAsync(pipeline.Store.Names.FirehoseStream, cancellationToken);
        var events = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var seq = stream.State.FirstSeq; seq <= stream.State.LastSeq && seq > 0; seq++)
        {
            var message = await pipeline.Store.JetStream.GetMessageAsync(pipeline.Store.Names.FirehoseStream, seq, cancellationToken);
            var did = message.Headers?.GetLastValue(AtprotoHeaders.Did) ?? "";
            if (wrong.ContainsKey(did))
            {
                (events.TryGetValue(did, out var list) ? list : events[did] = []).Add($"{message.Headers?.GetLastValue(AtprotoHeaders.Seq)}:{message.Headers?.GetLastValue(AtprotoHeaders.Event)}");
            }
        }

        foreach (var (did, problems) in wrong.Take(5))
        {
            var account = accounts.GetValueOrDefault(did);
            text.Append(did).Append(": ").Append(problems.Count).Append(" problems, first ").AppendJoin("; ", problems.Take(3)).Append('\n')
                .Append("  stored   ").Append(states.GetValueOrDefault(did, "none")).Append('\n')
                .Append("  expected status ").Append(account.ValueKind == JsonValueKind.Object ? account.GetProperty("status").GetString() : "?")
                .Append(" rev ").Append(account.ValueKind == JsonValueKind.Object ? account.GetProperty("rev").GetString() : "?").Append('\n')
                .Append("  events   ").AppendJoin(' ', events.GetValueOrDefault(did) ?? []).Append('\n');
        }

        return text.ToString();
    }

    private static void ShouldBeRunning(params ServiceProcess?[] children)
    {
        foreach (var child in children)
        {
            child?.HasExited.ShouldBeFalse($"{child.Name} exited on its own");
        }
    }
}
