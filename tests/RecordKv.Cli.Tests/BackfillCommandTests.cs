using System.Net;
using System.Net.Sockets;
using System.Text;
using RecordKv.Cli.Commands;
using RecordKv.Contracts;
using RecordKv.Coordination;
using RecordKv.Nats;
using RecordKv.Nats.JetStream;
using RecordKv.Testing;

namespace RecordKv.Cli.Tests;

/// <summary>The <c>backfill</c> verb's input checks and failures, against a live nats-server but no builder.</summary>
public sealed class BackfillCommandTests : IAsyncLifetime
{
    private NatsServerProcess? _server;

    private string Url => _server!.Url;

    public async Task InitializeAsync() => _server = await NatsServerProcess.StartAsync();

    public async Task DisposeAsync() => await _server!.DisposeAsync();

    [Fact]
    public async Task Backfill_UnreachableHost_OneLineErrorAndFailureExitCode()
    {
        var host = $"http://127.0.0.1:{FreePort()}";

        var run = await CliRun.RunAsync("backfill", "--host", host, "--server", Url);

        run.ExitCode.ShouldBe(ExitCodes.Failure);
        run.ErrorLines.Length.ShouldBe(1, run.Error);
        run.ErrorLines[0].ShouldStartWith($"recordkv: error: cannot list repositories on {host}/");
    }

    [Fact]
    public async Task Backfill_UnreachableHost_SavesNoRun()
    {
        var host = $"http://127.0.0.1:{FreePort()}";
        (await CliRun.RunAsync("backfill", "--host", host, "--server", Url)).ExitCode.ShouldBe(ExitCodes.Failure);

        await using var connection = await NatsConnection.ConnectAsync(new NatsOptions { Servers = [Url] });
        var control = await new RecordKv.Nats.KeyValue.NatsKvContext(new NatsJetStreamContext(connection)).GetBucketAsync("recordkv");
        (await control.GetAsync(ControlKeys.BackfillRun(host + "/"))).ShouldBeNull();
    }

    [Theory]
    [InlineData("ftp://example.com", "--host must be an http(s) URL")]
    [InlineData("http://", "--host must be an http(s) URL")]
    [InlineData("not a url at all", "--host must be an http(s) URL")]
    public async Task Backfill_MalformedHost_OneLineError(string host, string message)
    {
        var run = await CliRun.RunAsync("backfill", "--host", host, "--server", Url);

        run.ExitCode.ShouldBe(ExitCodes.Failure);
        run.ErrorLines.ShouldHaveSingleItem().ShouldContain(message);
    }

    [Theory]
    [InlineData("app.bsky.feed.like,bad/collection")]
    [InlineData("no_dots")]
    [InlineData("app.bsky.*.like")]
    public async Task Backfill_MalformedCollections_OneLineError(string collections)
    {
        var run = await CliRun.RunAsync("backfill", "--host", "http://127.0.0.1:1", "--collections", collections, "--server", Url);

        run.ExitCode.ShouldBe(ExitCodes.Failure);
        run.ErrorLines.ShouldHaveSingleItem().ShouldContain("--collections");
    }

    [Fact]
    public async Task Backfill_MissingHost_UsageError()
    {
        var run = await CliRun.RunAsync("backfill", "--server", Url);

        run.ExitCode.ShouldBe(ExitCodes.Usage);
        run.Error.ShouldContain("--host");
    }

    [Theory]
    [InlineData("did:plc:abc\nnot-a-did\n", "2: 'not-a-did' is not a DID")]
    [InlineData("# only a comment\n\n", "names no DID")]
    public async Task Backfill_BadDidFile_OneLineErrorNamingTheLine(string content, string message)
    {
        var file = Path.Combine(Path.GetTempPath(), $"recordkv-dids-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(file, content);
        try
        {
            var run = await CliRun.RunAsync("backfill", "--host", "http://127.0.0.1:1", "--dids", file, "--server", Url);

            run.ExitCode.ShouldBe(ExitCodes.Failure);
            run.ErrorLines.ShouldHaveSingleItem().ShouldContain(message);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task EnqueueAsync_SameRunAndDidTwice_SecondIsDropped()
    {
        await using var connection = await NatsConnection.ConnectAsync(new NatsOptions { Servers = [Url] });
        var jetStream = new NatsJetStreamContext(connection);
        var options = new RecordKvStoreOptions { Names = new StoreNames { BackfillStream = "BACKFILL_DEDUP", BackfillSubjectPrefix = "dedup" } };
        await BackfillQueue.EnsureStreamAsync(jetStream, options, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, CancellationToken.None);
        var partitioner = new DidPartitioner(16);
        var job = new BackfillJob { Did = "did:plc:abc", Run = "run1", Host = "https://pds.example/" };

        (await BackfillQueue.EnqueueAsync(jetStream, options.Names, partitioner, job, CancellationToken.None)).ShouldBeTrue();
        (await BackfillQueue.EnqueueAsync(jetStream, options.Names, partitioner, job, CancellationToken.None)).ShouldBeFalse();
        (await BackfillQueue.EnqueueAsync(jetStream, options.Names, partitioner, job with { Run = "run2" }, CancellationToken.None)).ShouldBeTrue();

        var info = await jetStream.GetStreamInfoAsync("BACKFILL_DEDUP");
        info.State.Messages.ShouldBe(2UL);
        info.Config.Subjects.ShouldBe(["dedup.*"]);
    }

    [Fact]
    public void Parse_ListReposPage_ReadsReposAndCursor()
    {
        var json = """{"cursor":"42","repos":[{"did":"did:plc:a","head":"x","rev":"r"},{"did":"did:web:b.example","active":false,"status":"takendown"}]}""";

        var page = BackfillHostClient.Parse(Encoding.UTF8.GetBytes(json), new Uri("https://pds.example/"));

        page.Cursor.ShouldBe("42");
        page.Repos.ShouldBe([new BackfillListedRepo("did:plc:a", true, null), new BackfillListedRepo("did:web:b.example", false, "takendown")]);
    }

    [Theory]
    [InlineData("""{"repos":[]}""", null)]
    [InlineData("""{"repos":[],"cursor":""}""", null)]
    public void Parse_LastPage_HasNoCursor(string json, string? cursor)
    {
        BackfillHostClient.Parse(Encoding.UTF8.GetBytes(json), new Uri("https://pds.example/")).Cursor.ShouldBe(cursor);
    }

    [Theory]
    [InlineData("<html>not json</html>", "invalid JSON")]
    [InlineData("""{"error":"MethodNotImplemented"}""", "without a 'repos' array")]
    [InlineData("""{"repos":{}}""", "without a 'repos' array")]
    [InlineData("""{"repos":[{"head":"x"}]}""", "without a valid 'did'")]
    [InlineData("""{"repos":[{"did":"plc:abc"}]}""", "without a valid 'did'")]
    [InlineData("""{"repos":[{"did":42}]}""", "without a valid 'did'")]
    public void Parse_NotAListReposAnswer_ThrowsNamingTheHost(string json, string message)
    {
        var exception = Should.Throw<CliException>(() => BackfillHostClient.Parse(Encoding.UTF8.GetBytes(json), new Uri("https://pds.example/")));

        exception.Message.ShouldContain("https://pds.example/");
        exception.Message.ShouldContain(message);
    }

    [Fact]
    public void Format_HalfDone_ShowsBarCountsRateAndErrors()
    {
        var state = new BackfillRunState { RunId = "r", Host = "https://pds.example/", Enqueued = 1000, Listed = 1000, ListingComplete = true };
        var progress = new BackfillProgress { Done = 480, Skipped = 10, Errors = 10, Records = 9800 };

        var line = BackfillProgressView.Format(state, progress, queued: 500, rate: 1234.4);

        line.ShouldBe("[############------------]  50% 500/1,000 repos  9,800 records  1,234 records/s  10 errors  10 skipped  500 queued");
    }

    [Fact]
    public void Format_WhileListing_MarksTheTotalOpen()
    {
        var state = new BackfillRunState { RunId = "r", Host = "https://pds.example/", Enqueued = 10, Listed = 12 };

        BackfillProgressView.Format(state, new BackfillProgress(), queued: 10, rate: 0).ShouldContain("0/10+ repos");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
