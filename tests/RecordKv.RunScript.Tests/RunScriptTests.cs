using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using RecordKv.Cli;
using RecordKv.LikeIndexer;
using RecordKv.Nats;
using RecordKv.Nats.JetStream;
using RecordKv.Nats.KeyValue;

namespace RecordKv.RunScript.Tests;

/// <summary>
/// <c>./run.sh --sim</c> end to end, as a user runs it: it comes up, records reach the record bucket and likes the like
/// index, Ctrl-C leaves no process behind, and a second run resumes from the saved cursor.
/// </summary>
public sealed partial class RunScriptTests : IAsyncLifetime
{
    private static readonly string[] Services = ["nats-server", "simulator", "ingester", "builder", "like-indexer"];
    private readonly RunScriptSetup _setup = RunScriptSetup.CreateIsolated();
    private readonly List<RunScriptProcess> _runs = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var run in _runs)
        {
            await run.DisposeAsync();
        }

        try
        {
            Directory.Delete(_setup.DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task RunSh_Sim_DataFlowsCtrlCStopsEverythingAndSecondRunResumes()
    {
        // ./test.sh stops a test after 5 minutes: the whole scenario, both runs, fits in 4.5.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(270));

        var first = Start();
        await WaitUntilUpAsync(first, deadline.Token);
        var started = first.StartedProcesses();
        started.Keys.ShouldBe(Services, ignoreOrder: true, first.Output);
        started.Values.ShouldAllBe(pid => RunScriptProcess.IsAlive(pid));

        var like = await FirstLikeAsync(first, deadline.Token);
        like.GetProperty("op").GetString().ShouldBe("put");
        like.GetProperty("uri").GetString()!.ShouldContain("/app.bsky.feed.like/");
        await WaitForLikeIndexAsync(first, deadline.Token);
        var cursorSeen = await CheckStatusAsync(deadline.Token);

        await StopWithCtrlCAsync(first, started, deadline.Token);

        var second = Start();
        await WaitUntilUpAsync(second, deadline.Token);
        var resumedFrom = 0L;
        await WaitForAsync(second, () =>
        {
            var match = ResumedPattern().Match(_setup.ReadLog("ingester"));
            resumedFrom = match.Success ? long.Parse(match.Groups[1].ValueSpan, provider: null) : 0;
            return match.Success;
        }, "the second ingester to start leading", deadline.Token);
        // The saved cursor only moves forward: the second run starts at or after what status showed during the first.
        resumedFrom.ShouldBeGreaterThanOrEqualTo(cursorSeen);

        await StopWithCtrlCAsync(second, second.StartedProcesses(), deadline.Token);
    }

    private RunScriptProcess Start()
    {
        var run = RunScriptProcess.Start(_setup);
        _runs.Add(run);
        return run;
    }

    private static Task WaitUntilUpAsync(RunScriptProcess run, CancellationToken cancellationToken) =>
        WaitForAsync(run, () => run.Output.Contains("run.sh: up.", StringComparison.Ordinal), "run.sh to print 'up'", cancellationToken);

    /// <summary>Polls <c>recordkv sub … --all --count 1 --json</c> (it fails while the bucket does not exist yet) until a like is printed.</summary>
    private async Task<JsonElement> FirstLikeAsync(RunScriptProcess run, CancellationToken cancellationToken)
    {
        JsonElement like = default;
        await WaitForAsync(run, async () =>
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(TimeSpan.FromSeconds(30));
            var exitCode = await CliApplication.RunAsync(
                ["sub", "$KV.record.*.app.bsky.feed.like.>", "--all", "--count", "1", "--json", "--server", _setup.NatsUrl], output, error, attempt.Token);
            if (exitCode != 0 || output.ToString().Length == 0)
            {
                return false;
            }

            like = JsonDocument.Parse(output.ToString()).RootElement.Clone();
            return true;
        }, "a like in the record bucket (recordkv sub)", cancellationToken);
        return like;
    }

    private async Task WaitForLikeIndexAsync(RunScriptProcess run, CancellationToken cancellationToken)
    {
        await using var nats = await NatsConnection.ConnectAsync(new NatsOptions { Servers = [_setup.NatsUrl] }, cancellationToken);
        var jetStream = new NatsJetStreamContext(nats);
        await WaitForAsync(run, async () =>
        {
            try
            {
                var info = await jetStream.GetStreamInfoAsync(NatsKvStore.StreamPrefix + LikeIndexKeys.DefaultBucket, cancellationToken);
                return info.State.Messages > 0;
            }
            catch (NatsJetStreamNotFoundException)
            {
                return false;
            }
            catch (NatsTimeoutException)
            {
                return false;
            }
        }, "entries in the like indexer's bucket", cancellationToken);
    }

    /// <summary><c>recordkv status</c> on the running stack names the buckets, the indexer's consumers, the ingest cursor and its lag behind the simulator, and the repositories' sync states.</summary>
    private async Task<long> CheckStatusAsync(CancellationToken cancellationToken)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CliApplication.RunAsync(["status", "--repo-scan-limit", "500", "--server", _setup.NatsUrl], output, error, cancellationToken);
        var status = output.ToString();
        exitCode.ShouldBe(0, error.ToString());
        status.ShouldContain("bucket record");
        status.ShouldContain($"bucket {LikeIndexKeys.DefaultBucket}");
        status.ShouldContain("consumer like-indexer-");
        var ingest = IngestPattern().Match(status);
        ingest.Success.ShouldBeTrue(status);
        ingest.Groups["source"].Value.ShouldBe($"127.0.0.1:{_setup.SimulatorPort}");
        var cursor = long.Parse(ingest.Groups["cursor"].ValueSpan, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        cursor.ShouldBeGreaterThan(0);
        long.Parse(ingest.Groups["head"].ValueSpan, NumberStyles.AllowThousands, CultureInfo.InvariantCulture).ShouldBeGreaterThanOrEqualTo(cursor);
        status.ShouldContain("repositories (sync state): ");
        return cursor;
    }

    /// <summary>Ctrl-C, then checks that run.sh and every process it started are gone.</summary>
    private static async Task StopWithCtrlCAsync(RunScriptProcess run, IReadOnlyDictionary<string, int> started, CancellationToken cancellationToken)
    {
        await run.InterruptAsync();
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Services, then the simulator, then nats-server, each given at most 20 s before SIGKILL.
        bound.CancelAfter(TimeSpan.FromSeconds(90));
        (await run.WaitForExitAsync(bound.Token)).ShouldBeTrue($"run.sh did not exit after Ctrl-C:\n{run.Output}");
        run.Output.ShouldContain("run.sh: stopped");
        foreach (var (name, pid) in started)
        {
            // Orphans are reaped by init, which may take a moment after run.sh itself exited.
            await WaitForAsync(null, () => !RunScriptProcess.IsAlive(pid), $"{name} (pid {pid}) to be gone", bound.Token);
        }
    }

    private static Task WaitForAsync(RunScriptProcess? run, Func<bool> condition, string what, CancellationToken cancellationToken) =>
        WaitForAsync(run, () => Task.FromResult(condition()), what, cancellationToken);

    private static async Task WaitForAsync(RunScriptProcess? run, Func<Task<bool>> condition, string what, CancellationToken cancellationToken)
    {
        while (!await condition())
        {
            if (run is { HasExited: true })
            {
                throw new ShouldAssertException($"run.sh exited ({run.ExitCode}) while waiting for {what}:\n{run.Output}");
            }

            if (cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Timed out waiting for {what}.\n{run?.Output}");
            }

            try
            {
                await Task.Delay(250, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    [GeneratedRegex(@"ingest (?<source>\S+): cursor (?<cursor>[\d,]+) \(saved \d+s ago\)  relay head (?<head>[\d,]+)  lag [\d,]+ events")]
    private static partial Regex IngestPattern();

    [GeneratedRegex(@"starting after cursor (\d+)")]
    private static partial Regex ResumedPattern();
}
