using System.Diagnostics;
using System.Text.Json;
using RecordKv.Nats.JetStream;
using RecordKv.Nats.KeyValue;
using RecordKv.Nats.Tests.JetStream;
using RecordKv.Testing;
using static RecordKv.Nats.Tests.JetStream.JetStreamTestSupport;

namespace RecordKv.Nats.Tests.KeyValue;

/// <summary>Checks the KV wire format against the official JavaScript client (@nats-io/kv 3.4.0) through tests/js/kv-crosscheck.mjs.</summary>
[Collection(JetStreamCollection.Name)]
public sealed class NatsKvCrossClientTests(NatsServerFixture fixture)
{
    private const string RecordKey = "13.app.bsky.feed.like.did/3Aplc/3Aabc.x/7Ey/3Az";

    [Fact]
    public async Task OurWrites_JavaScriptClient_ReadsTheSameEntriesHistoryKeysAndHeaders()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await ConnectAsync(fixture.Url, token);
        var kv = new NatsKvContext(new NatsJetStreamContext(connection));
        var store = await kv.CreateBucketAsync(new NatsKvConfig { Bucket = UniqueName("xc"), History = 10 }, token);
        await store.PutAsync(RecordKey, Utf8("{\"$type\":\"app.bsky.feed.like\"}"), new NatsHeaders().Add("Atproto-Cid", "bafyreia").Add("Atproto-Rev", "3l3qo2vutsw2b"), token);
        var first = await store.PutAsync("a.b", Utf8("one"), cancellationToken: token);
        await store.UpdateAsync("a.b", Utf8("two"), first, cancellationToken: token);
        await store.PutAsync("x-y_z=w/v", Utf8("slashes/and=equals"), cancellationToken: token);
        await store.DeleteAsync("x-y_z=w/v", cancellationToken: token);
        await store.PutAsync("p", Utf8("purged"), cancellationToken: token);
        await store.PurgeAsync("p", cancellationToken: token);
        await store.CreateAsync("c", Utf8("created"), cancellationToken: token);
        await store.PutAsync("bin", new byte[] { 0, 1, 2, 254, 255 }, cancellationToken: token);
        string[] keys = [RecordKey, "a.b", "x-y_z=w/v", "p", "c", "bin", "missing"];

        using var theirs = await RunScriptAsync(token, ["read", fixture.Url, store.Bucket, .. keys]);
        var root = theirs.RootElement;

        foreach (var key in keys)
        {
            var ours = await store.GetEntryAsync(key, token);
            AssertSameEntry(root.GetProperty("entries").GetProperty(key), ours, key);
            var ourHistory = await store.GetHistoryAsync(key, token);
            var theirHistory = root.GetProperty("history").GetProperty(key).EnumerateArray().ToList();
            theirHistory.Count.ShouldBe(ourHistory.Count, key);
            for (var i = 0; i < ourHistory.Count; i++)
            {
                AssertSameEntry(theirHistory[i], ourHistory[i], key);
            }
        }

        var ourKeys = (await TakeAsync(store.GetKeysAsync(cancellationToken: token), 100, token)).Order(StringComparer.Ordinal).ToList();
        root.GetProperty("keys").EnumerateArray().Select(k => k.GetString()!).ShouldBe(ourKeys);
        ourKeys.ShouldBe(["13.app.bsky.feed.like.did/3Aplc/3Aabc.x/7Ey/3Az", "a.b", "bin", "c"]);
        root.GetProperty("status").GetProperty("values").GetUInt64().ShouldBe((await store.GetStatusAsync(token)).Values);
        var headers = root.GetProperty("headers");
        headers.GetProperty(RecordKey).GetProperty("Atproto-Cid")[0].GetString().ShouldBe("bafyreia");
        headers.GetProperty(RecordKey).GetProperty("Atproto-Rev")[0].GetString().ShouldBe("3l3qo2vutsw2b");
        headers.GetProperty("x-y_z=w/v").GetProperty("KV-Operation")[0].GetString().ShouldBe("DEL");
        headers.GetProperty("p").GetProperty("KV-Operation")[0].GetString().ShouldBe("PURGE");
        headers.GetProperty("p").GetProperty("Nats-Rollup")[0].GetString().ShouldBe("sub");
    }

    [Fact]
    public async Task JavaScriptWrites_OurClient_BindsReadsAndWatchesThem()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await ConnectAsync(fixture.Url, token);
        var kv = new NatsKvContext(new NatsJetStreamContext(connection));
        var bucket = UniqueName("xcjs");
        using (await RunScriptAsync(token, "create", fixture.Url, bucket))
        {
        }

        var store = await kv.GetBucketAsync(bucket, token);
        var initialDataComplete = new TaskCompletionSource();
        var watching = Task.Run(async () =>
        {
            var entries = new List<NatsKvEntry>();
            await foreach (var e in store.WatchAsync(cancellationToken: token))
            {
                if (e.IsInitialDataComplete)
                {
                    initialDataComplete.SetResult();
                    continue;
                }

                entries.Add(e.Entry!);
                if (entries.Count == 10)
                {
                    return entries;
                }
            }

            return entries;
        }, token);
        await initialDataComplete.Task.WaitAsync(token);

        using var written = await RunScriptAsync(token, "write", fixture.Url, bucket);
        var ops = written.RootElement.GetProperty("ops").EnumerateArray()
            .Select(o => (Op: o.GetProperty("op").GetString()!, Key: o.GetProperty("key").GetString()!, Revision: o.GetProperty("revision").GetUInt64()))
            .ToList();
        var watched = await watching;

        watched.Select(e => (e.Key, e.Revision)).ShouldBe(ops.Select(o => (o.Key, o.Revision)));
        watched.Select(e => e.Operation).ShouldBe(ops.Select(o => o.Op switch
        {
            "delete" => NatsKvOperation.Delete,
            "purge" => NatsKvOperation.Purge,
            _ => NatsKvOperation.Put,
        }));
        var ab = await store.GetAsync("js.a.b", token);
        Text(ab!.Value).ShouldBe("three");
        ab.Revision.ShouldBe(ops.Last(o => o.Key == "js.a.b").Revision);
        (await store.GetHistoryAsync("js.a.b", token)).Select(e => Text(e.Value)).ShouldBe(["one", "two", "three"]);
        (await store.GetHistoryAsync("js.x-y_z=w/v", token)).Select(e => e.Operation).ShouldBe([NatsKvOperation.Put, NatsKvOperation.Delete, NatsKvOperation.Put]);
        Text((await store.GetAsync("js.x-y_z=w/v", token))!.Value).ShouldBe("recreated after delete");
        (await store.GetAsync("js.p", token)).ShouldBeNull();
        (await store.GetEntryAsync("js.p", token))!.Operation.ShouldBe(NatsKvOperation.Purge);
        (await store.GetAsync("js.bin", token))!.Value.ToArray().ShouldBe(new byte[] { 0, 1, 2, 254, 255 });
        (await TakeAsync(store.GetKeysAsync("js.>", token), 100, token)).Order(StringComparer.Ordinal).ShouldBe(["js.a.b", "js.bin", "js.new", "js.x-y_z=w/v"]);
        var status = await store.GetStatusAsync(token);
        status.History.ShouldBe(10);
        await store.UpdateAsync("js.a.b", Utf8("four"), ab.Revision, cancellationToken: token);
    }

    private static void AssertSameEntry(JsonElement theirs, NatsKvEntry? ours, string key)
    {
        if (ours is null)
        {
            theirs.ValueKind.ShouldBe(JsonValueKind.Null, key);
            return;
        }

        theirs.GetProperty("key").GetString().ShouldBe(ours.Key, key);
        theirs.GetProperty("revision").GetUInt64().ShouldBe(ours.Revision, key);
        theirs.GetProperty("operation").GetString().ShouldBe(ours.Operation switch
        {
            NatsKvOperation.Delete => "DEL",
            NatsKvOperation.Purge => "PURGE",
            _ => "PUT",
        }, key);
        Convert.FromBase64String(theirs.GetProperty("value").GetString()!).ShouldBe(ours.Value.ToArray(), key);
    }

    private static async Task<JsonDocument> RunScriptAsync(CancellationToken cancellationToken, params string[] arguments)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = SharedFixtures.JavaScriptRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("kv-crosscheck.mjs");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var output = await stdout;
        process.ExitCode.ShouldBe(0, await stderr);
        return JsonDocument.Parse(output);
    }
}
