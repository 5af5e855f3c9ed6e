using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text.Json;
using RecordKv.Atproto.Identity;

namespace RecordKv.Simulator.Tests;

public sealed class FirehoseSimulatorTests
{
    [Fact]
    public async Task SubscribeRepos_CursorZeroAfterBoundedRun_ReplaysEverySeqInOrder()
    {
        var cancellationToken = SimulatorRun.Timeout();
        await using var simulator = await FirehoseSimulator.StartAsync(SimulatorRun.Options(events: 1500), cancellationToken: cancellationToken);
        await simulator.Completion.WaitAsync(cancellationToken);
        var last = simulator.GetSummary().LastSeq;
        last.ShouldBeGreaterThanOrEqualTo(1500);

        var frames = await FirehoseFrames.ReadAsync(new Uri(simulator.FirehoseUrl + "?cursor=0"), frame => FirehoseFrames.Describe(frame).Seq >= last, cancellationToken);

        var previous = 0L;
        var types = new Dictionary<string, int>();
        foreach (var frame in frames)
        {
            var (type, seq) = FirehoseFrames.Describe(frame);
            RecordKv.Atproto.Firehose.FirehoseFrame.Decode(frame).ShouldNotBeNull();
            seq.ShouldBe(previous + 1);
            previous = seq;
            types[type] = types.GetValueOrDefault(type) + 1;
        }

        types["#commit"].ShouldBeGreaterThan(1300);
        types.Keys.ShouldBeSubsetOf(["#commit", "#sync", "#identity", "#account"]);
    }

    [Fact]
    public async Task SubscribeRepos_SameSeedTwice_EmitsIdenticalBytes()
    {
        var cancellationToken = SimulatorRun.Timeout(300);
        var options = SimulatorRun.Options(events: 2000, seed: 11) with { P256Share = 0.3, Faults = new Dictionary<SimulatorFault, double> { [SimulatorFault.BadSignature] = 0.01, [SimulatorFault.DuplicateFrame] = 0.01 } };
        var first = await HashStreamAsync(options, cancellationToken);
        var second = await HashStreamAsync(options with { SigningParallelism = 1, BatchSize = 17 }, cancellationToken);
        second.ShouldBe(first);
    }

    [Fact]
    public async Task SubscribeRepos_Pregenerate_EmitsOnlyOnceAllIsSignedAndTheSameBytes()
    {
        var cancellationToken = SimulatorRun.Timeout(300);
        var options = SimulatorRun.Options(events: 1200, seed: 12) with { Rate = 4000 };
        var live = await HashStreamAsync(options, cancellationToken);

        await using var simulator = await FirehoseSimulator.StartAsync(options with { Pregenerate = true }, cancellationToken: cancellationToken);
        using var http = new HttpClient { BaseAddress = simulator.BaseUrl };
        JsonElement firstEmitted;
        while (true)
        {
            firstEmitted = JsonDocument.Parse(await http.GetStringAsync("/_sim/stats", cancellationToken)).RootElement;
            if (firstEmitted.GetProperty("frames").GetInt64() > 0)
            {
                break;
            }

            await Task.Delay(20, cancellationToken);
        }

        await simulator.Completion.WaitAsync(cancellationToken);
        // Nothing went out before the last event was signed.
        firstEmitted.GetProperty("signatures").GetInt64().ShouldBe(simulator.GetSummary().Signatures);
        (await HashStreamAsync(simulator, cancellationToken)).ShouldBe(live);
    }

    [Fact]
    public async Task StartAsync_PregenerateUnbounded_Throws()
    {
        var options = SimulatorRun.Options(events: 1) with { Events = null, Rate = 1000, Pregenerate = true };

        await Should.ThrowAsync<ArgumentException>(async () => await FirehoseSimulator.StartAsync(options, cancellationToken: SimulatorRun.Timeout()));
    }

    [Fact]
    public async Task GetRepo_EveryAccountAfterRun_VerifiesAndMatchesExpected()
    {
        var cancellationToken = SimulatorRun.Timeout(300);
        await using var simulator = await FirehoseSimulator.StartAsync(SimulatorRun.Options(events: 3000) with { P256Share = 0.3, DidWebShare = 0.2 }, cancellationToken: cancellationToken);
        await simulator.Completion.WaitAsync(cancellationToken);
        using var http = new HttpClient { BaseAddress = simulator.BaseUrl };
        var expected = RepoCheck.ParseExpected(await http.GetStringAsync("/_sim/expected", cancellationToken));
        expected.Count.ShouldBe(40);

        var checkedRepos = 0;
        foreach (var account in expected)
        {
            var document = DidDocument.Parse(await http.GetStringAsync("/" + Uri.EscapeDataString(account.Did), cancellationToken));
            document.PdsEndpoint.ShouldBe(new Uri(simulator.BaseUrl.ToString().TrimEnd('/')));
            using var response = await http.GetAsync($"/xrpc/com.atproto.sync.getRepo?did={Uri.EscapeDataString(account.Did)}", cancellationToken);
            if (account.Status != "active")
            {
                response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
                continue;
            }

            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            var records = RepoCheck.LoadVerified(await response.Content.ReadAsByteArrayAsync(cancellationToken), document);
            records.ShouldBe(account.Records, ignoreOrder: true);
            checkedRepos++;
        }

        checkedRepos.ShouldBeGreaterThan(30);
    }

    [Fact]
    public async Task ListRepos_Paginated_ListsEveryAccountOnce()
    {
        var cancellationToken = SimulatorRun.Timeout();
        await using var simulator = await FirehoseSimulator.StartAsync(SimulatorRun.Options(events: 200), cancellationToken: cancellationToken);
        await simulator.Completion.WaitAsync(cancellationToken);
        using var http = new HttpClient { BaseAddress = simulator.BaseUrl };
        var dids = new HashSet<string>();
        string? cursor = null;
        do
        {
            using var page = JsonDocument.Parse(await http.GetStringAsync($"/xrpc/com.atproto.sync.listRepos?limit=7{(cursor is null ? "" : "&cursor=" + cursor)}", cancellationToken));
            foreach (var repo in page.RootElement.GetProperty("repos").EnumerateArray())
            {
                dids.Add(repo.GetProperty("did").GetString()!).ShouldBeTrue();
                repo.GetProperty("head").GetString()!.ShouldStartWith("bafyrei");
                repo.GetProperty("rev").GetString()!.Length.ShouldBe(13);
            }

            cursor = page.RootElement.TryGetProperty("cursor", out var next) ? next.GetString() : null;
        }
        while (cursor is not null);

        dids.Count.ShouldBe(40);
    }

    [Fact]
    public async Task SubscribeRepos_CursorAheadOfStream_SendsFutureCursorError()
    {
        var cancellationToken = SimulatorRun.Timeout();
        await using var simulator = await FirehoseSimulator.StartAsync(SimulatorRun.Options(events: 100), cancellationToken: cancellationToken);
        await simulator.Completion.WaitAsync(cancellationToken);

        var frames = await FirehoseFrames.ReadAsync(new Uri(simulator.FirehoseUrl + "?cursor=100000"), _ => false, cancellationToken);

        var frame = frames.ShouldHaveSingleItem();
        FirehoseFrames.Describe(frame).Type.ShouldBe("#error");
        FirehoseFrames.BodyText(frame, "error").ShouldBe("FutureCursor");
    }

    [Fact]
    public async Task SubscribeRepos_CursorOlderThanWindow_SendsOutdatedCursorInfoThenOldestRetained()
    {
        var cancellationToken = SimulatorRun.Timeout();
        await using var simulator = await FirehoseSimulator.StartAsync(SimulatorRun.Options(events: 500) with { RetainedFrames = 100 }, cancellationToken: cancellationToken);
        await simulator.Completion.WaitAsync(cancellationToken);
        var last = simulator.GetSummary().LastSeq;

        var frames = await FirehoseFrames.ReadAsync(new Uri(simulator.FirehoseUrl + "?cursor=5"), frame => FirehoseFrames.Describe(frame).Seq >= last, cancellationToken);

        FirehoseFrames.Describe(frames[0]).Type.ShouldBe("#info");
        FirehoseFrames.BodyText(frames[0], "name").ShouldBe("OutdatedCursor");
        FirehoseFrames.Describe(frames[1]).Seq.ShouldBe(last - 99);
        frames.Count.ShouldBe(101);
    }

    [Fact]
    public async Task SubscribeRepos_CursorOlderThanMemoryWithLogDir_ReplaysFromDiskWithoutOutdatedCursor()
    {
        var cancellationToken = SimulatorRun.Timeout();
        var directory = Path.Combine(Path.GetTempPath(), $"recordkv-sim-log-{Guid.NewGuid():N}");
        try
        {
            await using var simulator = await FirehoseSimulator.StartAsync(SimulatorRun.Options(events: 500) with { RetainedFrames = 100, LogDirectory = directory }, cancellationToken: cancellationToken);
            await simulator.Completion.WaitAsync(cancellationToken);
            var last = simulator.GetSummary().LastSeq;

            var fromDisk = await FirehoseFrames.ReadAsync(new Uri(simulator.FirehoseUrl + "?cursor=5"), frame => FirehoseFrames.Describe(frame).Seq >= last, cancellationToken);
            var fromMemory = await FirehoseFrames.ReadAsync(new Uri(simulator.FirehoseUrl + $"?cursor={last - 50}"), frame => FirehoseFrames.Describe(frame).Seq >= last, cancellationToken);

            var seqs = fromDisk.Select(frame => FirehoseFrames.Describe(frame).Seq).ToList();
            seqs.ShouldBe(Enumerable.Range(6, (int)last - 5).Select(seq => (long)seq).ToList());
            fromMemory.Count.ShouldBe(50);
            fromDisk.TakeLast(50).Select(Convert.ToHexString).ShouldBe(fromMemory.Select(Convert.ToHexString));
            File.Exists(Path.Combine(directory, "frames.log")).ShouldBeTrue();
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    [Fact]
    public async Task SubscribeRepos_CursorZeroWithLogDirAndTinyMemory_ReplaysEveryFrameOnce()
    {
        var cancellationToken = SimulatorRun.Timeout();
        var directory = Path.Combine(Path.GetTempPath(), $"recordkv-sim-log-{Guid.NewGuid():N}");
        try
        {
            await using var simulator = await FirehoseSimulator.StartAsync(SimulatorRun.Options(events: 400) with { RetainedFrames = 1, LogDirectory = directory }, cancellationToken: cancellationToken);
            await simulator.Completion.WaitAsync(cancellationToken);
            var last = simulator.GetSummary().LastSeq;

            var frames = await FirehoseFrames.ReadAsync(new Uri(simulator.FirehoseUrl + "?cursor=0"), frame => FirehoseFrames.Describe(frame).Seq >= last, cancellationToken);

            frames.Select(frame => FirehoseFrames.Describe(frame).Seq).ShouldBe(Enumerable.Range(1, (int)last).Select(seq => (long)seq));
            simulator.GetSummary().Frames.ShouldBe(frames.Count);
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    [Fact]
    public async Task SubscribeRepos_SubscriberThatDoesNotRead_IsCutOffWithConsumerTooSlow()
    {
        var cancellationToken = SimulatorRun.Timeout(300);
        var options = SimulatorRun.Options(events: 1) with { RetainedFrames = 500 };
        await using var simulator = await FirehoseSimulator.StartAsync(options with { Events = 30_000 }, cancellationToken: cancellationToken);
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(simulator.FirehoseUrl + "?cursor=0"), cancellationToken);

        // Nothing is read until the whole run is out: the server's sends back up and the log moves past it.
        await simulator.Completion.WaitAsync(cancellationToken);
        var frames = await FirehoseFrames.ReadAsync(socket, _ => false, cancellationToken);

        FirehoseFrames.BodyText(frames[^1], "error").ShouldBe("ConsumerTooSlow");
        frames.Count.ShouldBeLessThan(30_000);
    }

    private static async Task<string> HashStreamAsync(SimulatorOptions options, CancellationToken cancellationToken)
    {
        await using var simulator = await FirehoseSimulator.StartAsync(options, cancellationToken: cancellationToken);
        await simulator.Completion.WaitAsync(cancellationToken);
        return await HashStreamAsync(simulator, cancellationToken);
    }

    // The frames from cursor 0 and the ground truth of a completed run, hashed.
    private static async Task<string> HashStreamAsync(FirehoseSimulator simulator, CancellationToken cancellationToken)
    {
        var last = simulator.GetSummary().LastSeq;
        var frames = await FirehoseFrames.ReadAsync(new Uri(simulator.FirehoseUrl + "?cursor=0"), frame => FirehoseFrames.Describe(frame).Seq >= last && frame.Length > 0, cancellationToken);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var frame in frames)
        {
            hash.AppendData(frame);
        }

        using var http = new HttpClient { BaseAddress = simulator.BaseUrl };
        hash.AppendData(await http.GetByteArrayAsync("/_sim/expected", cancellationToken));
        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
