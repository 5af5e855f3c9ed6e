using System.Text;
using System.Text.Json;
using RecordKv.Client;
using RecordKv.LikeIndexer;
using RecordKv.Nats;
using RecordKv.Nats.JetStream;
using RecordKv.Nats.KeyValue;
using RecordKv.Testing;

namespace RecordKv.Cli.Tests;

/// <summary>The store verbs against a live nats-server with a record and control bucket written directly (no builder).</summary>
public sealed class StoreCommandsTests : IAsyncLifetime
{
    private const string Post = "at://did:plc:author0001/app.bsky.feed.post/3post000001";
    private NatsServerProcess? _server;
    private NatsConnection? _connection;

    private string Url => _server!.Url;

    public async Task InitializeAsync()
    {
        _server = await NatsServerProcess.StartAsync();
        _connection = await NatsConnection.ConnectAsync(new NatsOptions { Servers = [Url] });
        var kv = new NatsKvContext(new NatsJetStreamContext(_connection));
        await kv.CreateBucketAsync(new NatsKvConfig { Bucket = "record" });
        var control = await kv.CreateBucketAsync(new NatsKvConfig { Bucket = "recordkv" });
        await control.PutAsync("config", Encoding.UTF8.GetBytes("{\"partitions\":4}"));
    }

    public async Task DisposeAsync()
    {
        await _connection!.DisposeAsync();
        await _server!.DisposeAsync();
    }

    [Fact]
    public async Task PutThenGetAndSub_MockRecords_PrintDecodedRecords()
    {
        var file = await WriteLikesAsync(3);
        var put = await CliRun.RunAsync("put", file, "--server", Url);
        put.ExitCode.ShouldBe(0, put.Error);
        put.Output.ShouldContain("put 3, deleted 0");

        var get = await CliRun.RunAsync("get", Like(1), "--server", Url);
        get.ExitCode.ShouldBe(0, get.Error);
        get.OutputLines[0].ShouldBe($"PUT {Like(1)} cid=bafyreilike1 rev=3mockrev0000");
        get.Output.ShouldContain(Post);

        var sub = await CliRun.RunAsync("sub", "$KV.record.*.app.bsky.feed.like.>", "--all", "--json", "--count", "3", "--server", Url);
        sub.ExitCode.ShouldBe(0, sub.Error);
        var lines = sub.OutputLines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        lines.Select(l => l.GetProperty("uri").GetString()).ShouldBe([Like(0), Like(1), Like(2)], ignoreOrder: true);
        lines.ShouldAllBe(l => l.GetProperty("op").GetString() == "put" && l.GetProperty("record").GetProperty("subject").GetProperty("uri").GetString() == Post);
    }

    [Fact]
    public async Task LikesByAndLikers_AfterIndexing_PrintTheIndex()
    {
        (await CliRun.RunAsync("put", await WriteLikesAsync(4), "--server", Url)).ExitCode.ShouldBe(0);
        await using (var client = new RecordKvClient(_connection!, new RecordKvClientOptions()))
        {
            var index = await LikeIndex.OpenAsync(new NatsKvContext(new NatsJetStreamContext(_connection!)));
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var handled = 0;
            try
            {
                await LikeIndexerRunner.RunAsync(client, index, "like-indexer", new RecordConsumeOptions(), _ =>
                {
                    if (++handled == 4)
                    {
                        stop.Cancel();
                    }
                }, stop.Token);
            }
            catch (OperationCanceledException)
            {
            }

            handled.ShouldBe(4);
        }

        var likers = await CliRun.RunAsync("likers", Post, "--server", Url);
        likers.ExitCode.ShouldBe(0, likers.Error);
        likers.OutputLines.Length.ShouldBe(5);
        likers.OutputLines[^1].ShouldBe("count 4");

        var likesBy = await CliRun.RunAsync("likes-by", "did:plc:liker0002", "--server", Url);
        likesBy.ExitCode.ShouldBe(0, likesBy.Error);
        likesBy.OutputLines.ShouldBe([$"{Like(2)} {Post}"]);

        var status = await CliRun.RunAsync("status", "--server", Url);
        status.ExitCode.ShouldBe(0, status.Error);
        status.Output.ShouldContain("bucket record");
        status.Output.ShouldContain("consumer like-indexer-app_bsky_feed_like");

        var rebuild = await CliRun.RunAsync("rebuild", "like-indexer", "--server", Url);
        rebuild.ExitCode.ShouldBe(0, rebuild.Error);
        rebuild.Output.ShouldContain("deleted 1 consumers of like-indexer");
        rebuild.Output.ShouldContain("deleted bucket like-index");

        var reset = await CliRun.RunAsync("reset", "--yes", "--server", Url);
        reset.ExitCode.ShouldBe(0, reset.Error);
        reset.Output.ShouldContain("deleted KV_record");
        var afterReset = await CliRun.RunAsync("get", Like(1), "--server", Url);
        afterReset.ExitCode.ShouldBe(1);
        afterReset.ErrorLines.ShouldHaveSingleItem().ShouldContain("'record' does not exist");
    }

    [Theory]
    [InlineData("get", "at://did:plc:x/app.bsky.feed.post/1")]
    [InlineData("status")]
    [InlineData("likers", "at://did:plc:x/app.bsky.feed.post/1")]
    public async Task AnyVerb_UnreachableServer_OneLineError(params string[] verb)
    {
        var run = await CliRun.RunAsync([.. verb, "--server", $"nats://127.0.0.1:{NatsServerProcess.FreePort()}"]);
        run.ExitCode.ShouldBe(1);
        run.ErrorLines.ShouldHaveSingleItem().ShouldStartWith("recordkv: error: cannot reach NATS at nats://127.0.0.1:");
    }

    [Fact]
    public async Task LikesBy_MissingIndexBucket_OneLineError()
    {
        var run = await CliRun.RunAsync("likes-by", "did:plc:someone", "--server", Url);
        run.ExitCode.ShouldBe(1);
        run.ErrorLines.ShouldHaveSingleItem().ShouldContain("not found");
    }

    private static string Like(int n) => $"at://did:plc:liker{n:D4}/app.bsky.feed.like/3like00000{n}";

    private static async Task<string> WriteLikesAsync(int count)
    {
        var path = Path.Combine(Path.GetTempPath(), $"recordkv-put-{Guid.NewGuid():N}.jsonl");
        var lines = Enumerable.Range(0, count).Select(n =>
            $"{{\"uri\":\"{Like(n)}\",\"cid\":\"bafyreilike{n}\",\"record\":{{\"$type\":\"app.bsky.feed.like\",\"subject\":{{\"uri\":\"{Post}\",\"cid\":\"bafyreipost\"}},\"createdAt\":\"2024-01-01T00:00:00.000Z\"}}}}");
        await File.WriteAllLinesAsync(path, lines);
        return path;
    }
}
