using System.Globalization;
using RecordKv.Nats.JetStream;
using RecordKv.Nats.KeyValue;
using RecordKv.Nats.Tests.JetStream;
using RecordKv.Testing;
using static RecordKv.Nats.Tests.JetStream.JetStreamTestSupport;

namespace RecordKv.Nats.Tests.KeyValue;

[Collection(JetStreamCollection.Name)]
public sealed class NatsKvStoreTests(NatsServerFixture fixture)
{
    private async Task<(NatsConnection Connection, NatsKvContext Kv, NatsKvStore Store)> OpenAsync(CancellationToken token, Func<NatsKvConfig, NatsKvConfig>? configure = null)
    {
        var connection = await ConnectAsync(fixture.Url, token);
        var kv = new NatsKvContext(new NatsJetStreamContext(connection));
        var config = new NatsKvConfig { Bucket = UniqueName("kv"), History = 5 };
        var store = await kv.CreateBucketAsync(configure is null ? config : configure(config), token);
        return (connection, kv, store);
    }

    [Fact]
    public async Task CreateBucketAsync_Config_MapsOntoAdr8Stream()
    {
        var token = NatsServerFixture.TestTimeout();
        var (connection, kv, store) = await OpenAsync(token, c => c with { MaxAge = TimeSpan.FromMinutes(1), MaxValueSize = 1024, Storage = StreamStorageType.Memory });
        await using var _ = connection;

        var info = await kv.JetStream.GetStreamInfoAsync("KV_" + store.Bucket, token);

        info.Config.Subjects.ShouldBe(["$KV." + store.Bucket + ".>"]);
        info.Config.MaxMsgsPerSubject.ShouldBe(5);
        info.Config.MaxAge.ShouldBe(TimeSpan.FromMinutes(1));
        info.Config.DuplicateWindow.ShouldBe(TimeSpan.FromMinutes(1));
        info.Config.MaxMsgSize.ShouldBe(1024);
        info.Config.AllowRollupHdrs.ShouldBeTrue();
        info.Config.DenyDelete.ShouldBeTrue();
        info.Config.AllowDirect.ShouldBeTrue();
        info.Config.Discard.ShouldBe(StreamDiscardPolicy.New);
        info.Config.Storage.ShouldBe(StreamStorageType.Memory);
        (await kv.GetBucketAsync(store.Bucket, token)).Stream.ShouldBe("KV_" + store.Bucket);
        await Should.ThrowAsync<NatsJetStreamNotFoundException>(() => kv.GetBucketAsync(UniqueName("none"), token));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task PutAndGet_DirectOrLeader_ReturnLatestRevision(bool allowDirect)
    {
        var token = NatsServerFixture.TestTimeout();
        var (connection, _, store) = await OpenAsync(token, c => c with { AllowDirect = allowDirect });
        await using var _ = connection;
        var headers = new NatsHeaders().Add("Atproto-Cid", "bafyrei");

        var first = await store.PutAsync("a.b.c", Utf8("one"), cancellationToken: token);
        var second = await store.PutAsync("a.b.c", Utf8("two"), headers, token);
        var entry = await store.GetAsync("a.b.c", token);
        var old = await store.GetRevisionAsync("a.b.c", first, token);

        entry!.Revision.ShouldBe(second);
        entry.Key.ShouldBe("a.b.c");
        entry.Bucket.ShouldBe(store.Bucket);
        Text(entry.Value).ShouldBe("two");
        entry.Operation.ShouldBe(NatsKvOperation.Put);
        entry.Headers!.GetLastValue("Atproto-Cid").ShouldBe("bafyrei");
        entry.Created.ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(-1));
        Text(old!.Value).ShouldBe("one");
        (await store.GetRevisionAsync("other", first, token)).ShouldBeNull();
        (await store.GetAsync("missing", token)).ShouldBeNull();
    }

    [Fact]
    public async Task CreateAsync_AbsentExistingDeletedPurged_OnlyWritesWhenNoValue()
    {
        var token = NatsServerFixture.TestTimeout();
        var (connection, _, store) = await OpenAsync(token);
        await using var _ = connection;

        var created = await store.CreateAsync("k", Utf8("v1"), cancellationToken: token);
        var exists = await Should.ThrowAsync<NatsJetStreamWrongLastSequenceException>(() => store.CreateAsync("k", Utf8("v2"), cancellationToken: token));
        await store.DeleteAsync("k", cancellationToken: token);
        var afterDelete = await store.CreateAsync("k", Utf8("v3"), cancellationToken: token);
        await store.PurgeAsync("k", cancellationToken: token);
        var afterPurge = await store.CreateAsync("k", Utf8("v4"), cancellationToken: token);

        exists.ErrorCode.ShouldBe(10071);
        afterDelete.ShouldBeGreaterThan(created);
        afterPurge.ShouldBeGreaterThan(afterDelete);
        Text((await store.GetAsync("k", token))!.Value).ShouldBe("v4");
    }

    [Fact]
    public async Task UpdateAsync_CompareAndSet_FailsOnStaleRevision()
    {
        var token = NatsServerFixture.TestTimeout();
        var (connection, _, store) = await OpenAsync(token);
        await using var _ = connection;
        var revision = await store.PutAsync("lease", Utf8("a"), cancellationToken: token);

        var next = await store.UpdateAsync("lease", Utf8("b"), revision, cancellationToken: token);

        await Should.ThrowAsync<NatsJetStreamWrongLastSequenceException>(() => store.UpdateAsync("lease", Utf8("c"), revision, cancellationToken: token));
        Text((await store.GetAsync("lease", token))!.Value).ShouldBe("b");
        (await store.GetAsync("lease", token))!.Revision.ShouldBe(next);
    }

    [Fact]
    public async Task DeleteAndPurge_WriteMarkers_HistoryKeepsOrDropsEarlierRevisions()
    {
        var token = NatsServerFixture.TestTimeout();
        var (connection, _, store) = await OpenAsync(token);
        await using var _ = connection;
        await store.PutAsync("d", Utf8("1"), cancellationToken: token);
        await store.PutAsync("d", Utf8("2"), cancellationToken: token);
        await store.DeleteAsync("d", cancellationToken: token);
        await store.PutAsync("p", Utf8("1"), cancellationToken: token);
        await store.PutAsync("p", Utf8("2"), cancellationToken: token);
        await store.PurgeAsync("p", cancellationToken: token);

        var deletedHistory = await store.GetHistoryAsync("d", token);
        var purgedHistory = await store.GetHistoryAsync("p", token);

        (await store.GetAsync("d", token)).ShouldBeNull();
        (await store.GetEntryAsync("d", token))!.Operation.ShouldBe(NatsKvOperation.Delete);
        deletedHistory.Select(e => e.Operation).ShouldBe([NatsKvOperation.Put, NatsKvOperation.Put, NatsKvOperation.Delete]);
        deletedHistory.Select(e => Text(e.Value)).ShouldBe(["1", "2", ""]);
        purgedHistory.Single().Operation.ShouldBe(NatsKvOperation.Purge);
        (await store.GetHistoryAsync("never", token)).ShouldBeEmpty();
        await Should.ThrowAsync<NatsJetStreamWrongLastSequenceException>(() => store.DeleteAsync("d", expectedRevision: 1, cancellationToken: token));
    }

    [Fact]
    public async Task GetKeysAsync_Filter_ListsLiveKeysOnly()
    {
        var token = NatsServerFixture.TestTimeout();
        var (connection, _, store) = await OpenAsync(token);
        await using var _ = connection;
        (await TakeAsync(store.GetKeysAsync(cancellationToken: token), 100, token)).ShouldBeEmpty();
        foreach (var key in new[] { "1.app.bsky.feed.like.did/3Aplc/3Aa.r1", "1.app.bsky.feed.post.did/3Aplc/3Aa.r2", "2.app.bsky.feed.like.did/3Aplc/3Ab.r3", "gone" })
        {
            await store.PutAsync(key, Utf8("v"), cancellationToken: token);
            await store.PutAsync(key, Utf8("v2"), cancellationToken: token);
        }

        await store.DeleteAsync("gone", cancellationToken: token);

        var all = await TakeAsync(store.GetKeysAsync(cancellationToken: token), 100, token);
        var likes = await TakeAsync(store.GetKeysAsync("*.app.bsky.feed.like.>", token), 100, token);

        all.Order(StringComparer.Ordinal).ShouldBe(["1.app.bsky.feed.like.did/3Aplc/3Aa.r1", "1.app.bsky.feed.post.did/3Aplc/3Aa.r2", "2.app.bsky.feed.like.did/3Aplc/3Ab.r3"]);
        likes.Order(StringComparer.Ordinal).ShouldBe(["1.app.bsky.feed.like.did/3Aplc/3Aa.r1", "2.app.bsky.feed.like.did/3Aplc/3Ab.r3"]);
    }

    [Fact]
    public async Task GetKeysAsync_KeysRewrittenWithoutPause_EveryListingEndsWithEveryLiveKey()
    {
        var token = NatsServerFixture.TestTimeout();
        var (connection, _, store) = await OpenAsync(token, c => c with { History = 1 });
        await using var _ = connection;
        var quiet = Enumerable.Range(0, 20).Select(i => $"member.quiet{i}").ToList();
        foreach (var key in quiet)
        {
            await store.PutAsync(key, Utf8("v"), cancellationToken: token);
        }

        await store.PutAsync("member.left", Utf8("v"), cancellationToken: token);
        await store.DeleteAsync("member.left", cancellationToken: token);
        string[] busy = ["member.busy0", "member.busy1", "member.busy2"];
        foreach (var key in busy)
        {
            await store.PutAsync(key, Utf8("0"), cancellationToken: token);
        }

        // Heartbeats without pause, as a lease group on a busy server writes them: a listing that waits until it has
        // caught up with them may never end.
        using var stopWriting = CancellationTokenSource.CreateLinkedTokenSource(token);
        var writers = busy.Select(key => Task.Run(async () =>
        {
            for (var beat = 1; !stopWriting.IsCancellationRequested; beat++)
            {
                await store.PutAsync(key, Utf8(beat.ToString(CultureInfo.InvariantCulture)), cancellationToken: CancellationToken.None);
            }
        })).ToArray();

        string[] expected = [.. busy, .. quiet];
        for (var listing = 0; listing < 100; listing++)
        {
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(token);
            bound.CancelAfter(TimeSpan.FromSeconds(10));
            var keys = new List<string>();
            await foreach (var key in store.GetKeysAsync("member.*", bound.Token))
            {
                keys.Add(key);
            }

            keys.Order(StringComparer.Ordinal).ShouldBe(expected.Order(StringComparer.Ordinal), $"listing {listing}");
        }

        await stopWriting.CancelAsync();
        await Task.WhenAll(writers);
    }

    [Fact]
    public async Task GetEntriesAsync_Filter_ReturnsLatestLiveEntriesWithHeadersAndLeavesNoConsumer()
    {
        var token = NatsServerFixture.TestTimeout();
        var (connection, kv, store) = await OpenAsync(token);
        await using var _ = connection;
        (await store.GetEntriesAsync(">", cancellationToken: token)).ShouldBeEmpty();
        foreach (var key in new[] { "1.app.bsky.feed.like.did/3Aplc/3Aa.r1", "1.app.bsky.feed.post.did/3Aplc/3Aa.r2", "2.app.bsky.feed.like.did/3Aplc/3Ab.r3", "1.app.bsky.feed.like.did/3Aplc/3Aa.gone" })
        {
            await store.PutAsync(key, Utf8("v1"), cancellationToken: token);
            await store.PutAsync(key, Utf8("v2"), new NatsHeaders().Add("Atproto-Cid", "cid-of-" + key), cancellationToken: token);
        }

        await store.DeleteAsync("1.app.bsky.feed.like.did/3Aplc/3Aa.gone", cancellationToken: token);

        // More keys than the concurrency, so the gets go out in several rounds.
        var entries = await store.GetEntriesAsync("1.*.*.*.*.did/3Aplc/3Aa.*", concurrency: 1, token);

        entries.Select(entry => entry.Key).Order(StringComparer.Ordinal).ShouldBe(["1.app.bsky.feed.like.did/3Aplc/3Aa.r1", "1.app.bsky.feed.post.did/3Aplc/3Aa.r2"]);
        entries.ShouldAllBe(entry => Text(entry.Value) == "v2" && entry.Headers!.GetLastValue("Atproto-Cid") == "cid-of-" + entry.Key);
        (await kv.JetStream.ListConsumerNamesAsync(store.Stream, token)).ShouldBeEmpty();
        await Should.ThrowAsync<ArgumentException>(() => store.GetEntriesAsync("bad..filter", cancellationToken: token));
    }

    [Fact]
    public async Task GetStreamSubjectsAsync_Filter_CountsMessagesPerMatchingSubject()
    {
        var token = NatsServerFixture.TestTimeout();
        var (connection, kv, store) = await OpenAsync(token);
        await using var _ = connection;
        await store.PutAsync("a.x", Utf8("1"), cancellationToken: token);
        await store.PutAsync("a.x", Utf8("2"), cancellationToken: token);
        await store.DeleteAsync("a.y", cancellationToken: token);
        await store.PutAsync("b.x", Utf8("1"), cancellationToken: token);

        var subjects = await kv.JetStream.GetStreamSubjectsAsync(store.Stream, store.SubjectFor("a") + ".*", token);

        subjects.OrderBy(pair => pair.Key, StringComparer.Ordinal).ShouldBe([new(store.SubjectFor("a.x"), 2UL), new(store.SubjectFor("a.y"), 1UL)]);
        (await kv.JetStream.GetStreamSubjectsAsync(store.Stream, "none.>", token)).ShouldBeEmpty();
    }

    [Fact]
    public async Task KeysHistoryAndWatch_Finished_LeaveNoConsumerOnTheBucket()
    {
        var token = NatsServerFixture.TestTimeout();
        var (connection, kv, store) = await OpenAsync(token);
        await using var _ = connection;

        // Empty results end at the creation notice, before any message: the case that used to leave consumers behind.
        (await TakeAsync(store.GetKeysAsync(cancellationToken: token), 100, token)).ShouldBeEmpty();
        (await store.GetHistoryAsync("never", token)).ShouldBeEmpty();
        await store.PutAsync("a.b", Utf8("v"), cancellationToken: token);
        (await TakeAsync(store.GetKeysAsync(cancellationToken: token), 100, token)).ShouldBe(["a.b"]);
        (await TakeAsync(store.GetKeysAsync("none.>", token), 100, token)).ShouldBeEmpty();
        (await store.GetHistoryAsync("a.b", token)).Count.ShouldBe(1);
        await foreach (var change in store.WatchAsync(cancellationToken: token))
        {
            if (change.Entry is null)
            {
                break;
            }
        }

        (await kv.JetStream.ListConsumerNamesAsync("KV_" + store.Bucket, token)).ShouldBeEmpty();
    }

    [Fact]
    public async Task WatchAsync_Default_LatestValuesThenMarkerThenLiveChanges()
    {
        var token = NatsServerFixture.TestTimeout();
        var (connection, _, store) = await OpenAsync(token);
        await using var _ = connection;
        await store.PutAsync("a", Utf8("a1"), cancellationToken: token);
        await store.PutAsync("a", Utf8("a2"), cancellationToken: token);
        await store.PutAsync("b.x", Utf8("b1"), cancellationToken: token);

        var events = new List<NatsKvWatchEvent>();
        await foreach (var e in store.WatchAsync(cancellationToken: token))
        {
            events.Add(e);
            if (e.IsInitialDataComplete)
            {
                await store.PutAsync("c", Utf8("c1"), cancellationToken: token);
                await store.DeleteAsync("a", cancellationToken: token);
            }

            if (events.Count == 5)
            {
                break;
            }
        }

        events.Take(2).Select(e => Text(e.Entry!.Value)).ShouldBe(["a2", "b1"]);
        events[2].IsInitialDataComplete.ShouldBeTrue();
        events[3].Entry!.Key.ShouldBe("c");
        events[4].Entry!.Operation.ShouldBe(NatsKvOperation.Delete);
        events[4].Entry!.Key.ShouldBe("a");
    }

    [Fact]
    public async Task WatchAsync_EmptyBucketAndUpdatesOnly_MarkerComesFirst()
    {
        var token = NatsServerFixture.TestTimeout();
        var (connection, _, store) = await OpenAsync(token);
        await using var _ = connection;

        var empty = await TakeAsync(store.WatchAsync(cancellationToken: token), 1, token);
        await store.PutAsync("old", Utf8("x"), cancellationToken: token);
        var updates = new List<NatsKvWatchEvent>();
        await foreach (var e in store.WatchAsync(options: new NatsKvWatchOptions { UpdatesOnly = true }, cancellationToken: token))
        {
            updates.Add(e);
            if (e.IsInitialDataComplete)
            {
                await store.PutAsync("new", Utf8("y"), cancellationToken: token);
            }
            else
            {
                break;
            }
        }

        empty.Single().IsInitialDataComplete.ShouldBeTrue();
        updates.Count.ShouldBe(2);
        updates[1].Entry!.Key.ShouldBe("new");
    }

    [Fact]
    public async Task WatchAsync_HistoryWithWildcardFilterIgnoringDeletes_YieldsMatchingRevisions()
    {
        var token = NatsServerFixture.TestTimeout();
        var (connection, _, store) = await OpenAsync(token);
        await using var _ = connection;
        await store.PutAsync("p.1.x", Utf8("1"), cancellationToken: token);
        await store.PutAsync("q.1.x", Utf8("other"), cancellationToken: token);
        await store.PutAsync("p.1.x", Utf8("2"), cancellationToken: token);
        await store.DeleteAsync("p.1.x", cancellationToken: token);
        await store.PutAsync("p.2.x", Utf8("3"), cancellationToken: token);

        var events = await TakeAsync(store.WatchAsync("p.*.x", new NatsKvWatchOptions { IncludeHistory = true, IgnoreDeletes = true }, token), 4, token);

        events.Take(3).Select(e => Text(e.Entry!.Value)).ShouldBe(["1", "2", "3"]);
        events[3].IsInitialDataComplete.ShouldBeTrue();
    }

    [Fact]
    public async Task GetStatusAsync_AfterWrites_CountsValues()
    {
        var token = NatsServerFixture.TestTimeout();
        var (connection, _, store) = await OpenAsync(token, c => c with { MaxAge = TimeSpan.FromHours(1) });
        await using var _ = connection;
        await store.PutAsync("a", Utf8("1"), cancellationToken: token);
        await store.PutAsync("b", Utf8("2"), cancellationToken: token);

        var status = await store.GetStatusAsync(token);

        status.Bucket.ShouldBe(store.Bucket);
        status.Values.ShouldBe(2UL);
        status.History.ShouldBe(5);
        status.MaxAge.ShouldBe(TimeSpan.FromHours(1));
        status.AllowDirect.ShouldBeTrue();
    }

    [Theory]
    [InlineData("")]
    [InlineData(".a")]
    [InlineData("a.")]
    [InlineData("a b")]
    [InlineData("a.*")]
    [InlineData("a:b")]
    public async Task PutAsync_InvalidKey_ThrowsArgumentException(string key)
    {
        var token = NatsServerFixture.TestTimeout();
        var (connection, _, store) = await OpenAsync(token);
        await using var _ = connection;

        await Should.ThrowAsync<ArgumentException>(() => store.PutAsync(key, Utf8("x"), cancellationToken: token));
    }
}
