using System.Text.Json;
using RecordKv.Client;
using RecordKv.Client.Tests;
using RecordKv.Contracts;
using RecordKv.Nats.JetStream;
using RecordKv.Nats.KeyValue;
using RecordKv.Testing;

namespace RecordKv.LikeIndexer.Tests;

[Collection(LikeIndexerCollection.Name)]
public sealed class LikeIndexTests(NatsServerFixture nats)
{
    private const int Likes = 30;
    private const int Deleted = 5;

    [Fact]
    public async Task ApplyAsync_SameChangesTwice_LeavesTheIndexAsOnce()
    {
        var ct = NatsServerFixture.TestTimeout();
        await using var store = await MockRecordStore.CreateAsync(nats.Url, 4, ct);
        var kv = new NatsKvContext(new NatsJetStreamContext(store.Connection));
        var once = await LikeIndex.OpenAsync(kv, "once" + Guid.NewGuid().ToString("N")[..8], cancellationToken: ct);
        var twice = await LikeIndex.OpenAsync(kv, "twice" + Guid.NewGuid().ToString("N")[..8], cancellationToken: ct);
        var changes = Changes().ToList();
        foreach (var (id, operation, record) in changes)
        {
            await once.ApplyAsync(id, operation, record, ct);
            await twice.ApplyAsync(id, operation, record, ct);
            await twice.ApplyAsync(id, operation, record, ct);
        }

        // A replay of everything, as after a consumer reset.
        foreach (var (id, operation, record) in changes)
        {
            await twice.ApplyAsync(id, operation, record, ct);
        }

        (await twice.DumpAsync(ct)).ShouldBe(await once.DumpAsync(ct));
        (await once.CountAsync(MockRecordStore.Post(99, 0), ct)).ShouldBe(8);
        (await once.CountAsync(MockRecordStore.Post(99, 1), ct)).ShouldBe(8);
        (await once.CountAsync(MockRecordStore.Post(99, 2), ct)).ShouldBe(9);
        (await once.LikersAsync(MockRecordStore.Post(99, 1), ct)).Count.ShouldBe(8);
        var likesBy = await once.LikesByAsync(MockRecordStore.Like(7, 7).Did, ct);
        likesBy.ShouldHaveSingleItem().Subject.ShouldBe(MockRecordStore.Post(99, 1).ToAtUri());
        (await once.LikesByAsync(MockRecordStore.Like(0, 0).Did, ct)).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"subject\":\"at://did:plc:x/app.bsky.feed.post/1\"}")]
    [InlineData("{\"subject\":{\"uri\":\"https://example.com\"}}")]
    [InlineData("{\"subject\":{\"uri\":\"at://handle.example/app.bsky.feed.post/1\"}}")]
    [InlineData("[1,2]")]
    public async Task ApplyAsync_NotALikeOfARecord_IsIgnored(string json)
    {
        var ct = NatsServerFixture.TestTimeout();
        await using var store = await MockRecordStore.CreateAsync(nats.Url, 4, ct);
        var index = await LikeIndex.OpenAsync(new NatsKvContext(new NatsJetStreamContext(store.Connection)), "bad" + Guid.NewGuid().ToString("N")[..8], cancellationToken: ct);
        await index.ApplyAsync(MockRecordStore.Like(1, 1), RecordOperation.Put, JsonDocument.Parse(json).RootElement.Clone(), ct);
        (await index.DumpAsync(ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Runner_TwoProcessesAndRebuild_GiveTheSameIndexAsOne()
    {
        var ct = NatsServerFixture.TestTimeout();
        await using var store = await MockRecordStore.CreateAsync(nats.Url, 4, ct);
        var kv = new NatsKvContext(new NatsJetStreamContext(store.Connection));
        foreach (var (id, operation, record) in Changes())
        {
            if (operation == RecordOperation.Delete)
            {
                await store.DeleteAsync(id, ct);
            }
            else
            {
                await store.PutAsync(id, record.GetRawText(), ct);
            }
        }

        var single = await RunUntilCompleteAsync(store, kv, "single" + Guid.NewGuid().ToString("N")[..6], processes: 1, ct);
        var shared = await RunUntilCompleteAsync(store, kv, "shared" + Guid.NewGuid().ToString("N")[..6], processes: 2, ct);
        shared.ShouldBe(single);
        single.Count(e => e.Key.StartsWith("like.", StringComparison.Ordinal)).ShouldBe(Likes - Deleted);

        // Rebuild: delete the consumers and the bucket, run again.
        var name = "rebuild" + Guid.NewGuid().ToString("N")[..6];
        var first = await RunUntilCompleteAsync(store, kv, name, processes: 1, ct);
        await using (var client = new RecordKvClient(store.Connection, store.Options))
        {
            (await client.DeleteConsumersAsync(name, ct)).ShouldBe(1);
        }

        await kv.DeleteBucketAsync(name, ct);
        var rebuilt = await RunUntilCompleteAsync(store, kv, name, processes: 1, ct);
        rebuilt.ShouldBe(first);
        rebuilt.ShouldBe(single);
    }

    /// <summary>30 likes by 30 actors spread over three posts, then the first five deleted.</summary>
    private static IEnumerable<(RecordId Id, RecordOperation Operation, JsonElement Record)> Changes()
    {
        for (var i = 0; i < Likes; i++)
        {
            var post = MockRecordStore.Post(99, i % 3);
            var json = $"{{\"$type\":\"app.bsky.feed.like\",\"subject\":{{\"uri\":\"{post.ToAtUri()}\",\"cid\":\"bafyreipost\"}},\"createdAt\":\"2024-01-01T00:00:00.000Z\"}}";
            yield return (MockRecordStore.Like(i, i), RecordOperation.Put, JsonDocument.Parse(json).RootElement.Clone());
        }

        for (var i = 0; i < Deleted; i++)
        {
            yield return (MockRecordStore.Like(i, i), RecordOperation.Delete, default);
        }
    }

    private static async Task<IReadOnlyList<KeyValuePair<string, string>>> RunUntilCompleteAsync(MockRecordStore store, NatsKvContext kv, string name, int processes, CancellationToken ct)
    {
        var index = await LikeIndex.OpenAsync(kv, name, cancellationToken: ct);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var handled = new HashSet<RecordId>();
        var clients = new List<RecordKvClient>();
        var runs = new List<Task>();
        for (var p = 0; p < processes; p++)
        {
            var client = new RecordKvClient(store.Connection, store.Options);
            clients.Add(client);
            var options = new RecordConsumeOptions { SharePartitions = processes > 1, MemberId = $"{name}-member-{p}" };
            runs.Add(Task.Run(async () =>
            {
                try
                {
                    await LikeIndexerRunner.RunAsync(client, index, name, options, message => { lock (handled) { handled.Add(message.Id); } }, stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }, CancellationToken.None));
        }

        await TestWait.UntilAsync(() => { lock (handled) { return handled.Count == Likes; } }, ct, "every like handled");
        await stop.CancelAsync();
        await Task.WhenAll(runs);
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }

        return await index.DumpAsync(ct);
    }
}
