using System.Collections.Concurrent;
using RecordKv.Contracts;
using RecordKv.Coordination;
using RecordKv.Testing;

namespace RecordKv.Client.Tests;

[Collection(ClientCollection.Name)]
public sealed class RecordKvClientTests(NatsServerFixture nats)
{
    private const string Likes = "app.bsky.feed.like";
    private const string Posts = "app.bsky.feed.post";

    [Fact]
    public async Task ConsumeAsync_ExistingThenLive_DeliversEveryChangeOnceWithDecodedFields()
    {
        var ct = NatsServerFixture.TestTimeout();
        await using var store = await MockRecordStore.CreateAsync(nats.Url, 4, ct);
        for (var i = 0; i < 5; i++)
        {
            await store.PutLikeAsync(MockRecordStore.Like(i, i), MockRecordStore.Post(9, 1), ct);
        }

        await store.PutAsync(MockRecordStore.Post(1, 1), "{\"text\":\"not a like\"}", ct);
        await using var client = new RecordKvClient(store.Connection, store.Options);
        var seen = new List<RecordMessage>();
        await foreach (var message in client.ConsumeAsync("likes", [Likes], cancellationToken: ct))
        {
            seen.Add(message);
            await message.AckAsync(ct);
            if (seen.Count == 5)
            {
                // Live changes after the existing contents, no mode switch.
                await store.PutLikeAsync(MockRecordStore.Like(7, 7), MockRecordStore.Post(9, 1), ct);
                await store.DeleteAsync(MockRecordStore.Like(0, 0), ct);
            }

            if (seen.Count == 7)
            {
                break;
            }
        }

        seen.Take(5).Select(m => m.Id).ShouldBe(Enumerable.Range(0, 5).Select(i => MockRecordStore.Like(i, i)), ignoreOrder: true);
        seen.Take(6).ShouldAllBe(m => m.Operation == RecordOperation.Put && m.Cid!.StartsWith("bafyrei", StringComparison.Ordinal) && m.Rev == "3rev0001");
        seen[5].Id.ShouldBe(MockRecordStore.Like(7, 7));
        seen[5].Record.GetProperty("subject").GetProperty("uri").GetString().ShouldBe(MockRecordStore.Post(9, 1).ToAtUri());
        seen[6].Operation.ShouldBe(RecordOperation.Delete);
        seen[6].Id.ShouldBe(MockRecordStore.Like(0, 0));
        seen[6].AtUri.ShouldBe("at://did:plc:actor0000/app.bsky.feed.like/3like000000");
    }

    [Fact]
    public async Task ConsumeAsync_AfterRestart_ResumesAfterTheLastAck()
    {
        var ct = NatsServerFixture.TestTimeout();
        await using var store = await MockRecordStore.CreateAsync(nats.Url, 4, ct);
        for (var i = 0; i < 6; i++)
        {
            await store.PutLikeAsync(MockRecordStore.Like(i, i), MockRecordStore.Post(9, 1), ct);
        }

        var first = new List<RecordId>();
        await using (var client = new RecordKvClient(store.Connection, store.Options))
        {
            await foreach (var message in client.ConsumeAsync("resume", [Likes], cancellationToken: ct))
            {
                first.Add(message.Id);
                await message.AckAsync(ct);
                if (first.Count == 4)
                {
                    break;
                }
            }
        }

        await store.Connection.PingAsync(ct);
        await store.PutLikeAsync(MockRecordStore.Like(8, 8), MockRecordStore.Post(9, 1), ct);
        var second = new List<RecordId>();
        await using (var client = new RecordKvClient(store.Connection, store.Options))
        {
            await foreach (var message in client.ConsumeAsync("resume", [Likes], cancellationToken: ct))
            {
                second.Add(message.Id);
                await message.AckAsync(ct);
                // Unacknowledged messages of the first run come back after the ack wait (or at once when they were handed back).
                if (first.Concat(second).Distinct().Count() == 7)
                {
                    break;
                }
            }
        }

        // Exactly once in effect: nothing acknowledged comes back; what was not acknowledged does (possibly more than once).
        second.ShouldNotContain(id => first.Contains(id));
        first.Concat(second).Distinct().ShouldBe(Enumerable.Range(0, 6).Select(i => MockRecordStore.Like(i, i)).Append(MockRecordStore.Like(8, 8)), ignoreOrder: true);
    }

    [Fact]
    public async Task ConsumeAsync_SeveralCollections_MergesTheirConsumers()
    {
        var ct = NatsServerFixture.TestTimeout();
        await using var store = await MockRecordStore.CreateAsync(nats.Url, 4, ct);
        await store.PutLikeAsync(MockRecordStore.Like(1, 1), MockRecordStore.Post(2, 2), ct);
        await store.PutAsync(MockRecordStore.Post(2, 2), "{\"text\":\"hi\"}", ct);
        await using var client = new RecordKvClient(store.Connection, store.Options);
        var seen = new List<RecordId>();
        await foreach (var message in client.ConsumeAsync("both", [Likes, Posts], cancellationToken: ct))
        {
            seen.Add(message.Id);
            await message.AckAsync(ct);
            if (seen.Count == 2)
            {
                break;
            }
        }

        seen.ShouldBe([MockRecordStore.Like(1, 1), MockRecordStore.Post(2, 2)], ignoreOrder: true);
    }

    [Fact]
    public async Task ConsumeAsync_TwoMembersSharing_EachKeyGoesToOneMember()
    {
        var ct = NatsServerFixture.TestTimeout();
        const int partitions = 4;
        await using var store = await MockRecordStore.CreateAsync(nats.Url, partitions, ct);
        await using var clientA = new RecordKvClient(store.Connection, store.Options);
        await using var clientB = new RecordKvClient(store.Connection, store.Options);
        var received = new ConcurrentDictionary<RecordId, ConcurrentBag<string>>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        async Task RunAsync(RecordKvClient client, string member)
        {
            try
            {
                await foreach (var message in client.ConsumeAsync("shared", [Likes], new RecordConsumeOptions { SharePartitions = true, MemberId = member }, stop.Token))
                {
                    received.GetOrAdd(message.Id, _ => []).Add(member);
                    await message.AckAsync(stop.Token);
                }
            }
            catch (OperationCanceledException)
            {
            }
        }

        var a = RunAsync(clientA, "member-a");
        var b = RunAsync(clientB, "member-b");
        await TestWait.UntilAsync(() => HoldersAsync(store, partitions).GetAwaiter().GetResult() is var holders && holders.Count(h => h == "member-a") == 2 && holders.Count(h => h == "member-b") == 2, ct, "an even split of the partitions");

        var likes = Enumerable.Range(0, 40).Select(i => MockRecordStore.Like(i, i)).ToList();
        foreach (var like in likes)
        {
            await store.PutLikeAsync(like, MockRecordStore.Post(99, 1), ct);
        }

        await TestWait.UntilAsync(() => received.Count == likes.Count, ct, "every like");
        await stop.CancelAsync();
        await Task.WhenAll(a, b);
        received.Keys.ShouldBe(likes, ignoreOrder: true);
        received.Values.ShouldAllBe(members => members.Count == 1);
        received.Values.Select(m => m.Single()).Distinct().Count().ShouldBe(2);
    }

    [Fact]
    public async Task GetAsync_StoredAndMissingRecords_ReturnsValueOrNull()
    {
        var ct = NatsServerFixture.TestTimeout();
        await using var store = await MockRecordStore.CreateAsync(nats.Url, 4, ct);
        var post = MockRecordStore.Post(3, 3);
        await store.PutAsync(post, "{\"text\":\"hello\"}", ct);
        await using var client = new RecordKvClient(store.Connection, store.Options);

        var found = await client.GetAsync(post.ToAtUri(), ct);
        found.ShouldNotBeNull();
        found.Record.GetProperty("text").GetString().ShouldBe("hello");
        found.Cid.ShouldBe("bafyrei" + post.RecordKey);
        (await client.GetAsync(MockRecordStore.Post(3, 4).ToAtUri(), ct)).ShouldBeNull();
        await store.DeleteAsync(post, ct);
        (await client.GetAsync(post.ToAtUri(), ct)).ShouldBeNull();
    }

    [Fact]
    public async Task GetAsync_MissingBucket_ThrowsNamingTheBucket()
    {
        var ct = NatsServerFixture.TestTimeout();
        await using var client = new RecordKvClient(new RecordKvClientOptions { Servers = [nats.Url], RecordBucket = "no-such-bucket" });
        var error = await Should.ThrowAsync<RecordKvClientException>(() => client.GetAsync("at://did:plc:x/app.bsky.feed.post/1", ct));
        error.Message.ShouldContain("no-such-bucket");
    }

    private static async Task<List<string>> HoldersAsync(MockRecordStore store, int partitions)
    {
        var holders = new List<string>();
        for (var p = 0; p < partitions; p++)
        {
            var entry = await store.Control.GetAsync(PartitionLeases.LeaseKey(RecordKvClient.LeasePrefix("shared"), p));
            if (entry is not null && entry.Value.Length > 0)
            {
                holders.Add(LeaseRecord.Decode(entry.Value.Span).Holder);
            }
        }

        return holders;
    }
}
