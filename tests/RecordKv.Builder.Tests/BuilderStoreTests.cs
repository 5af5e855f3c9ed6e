using RecordKv.Atproto.Cids;
using RecordKv.Atproto.Repo;
using RecordKv.Contracts;
using RecordKv.Nats;
using RecordKv.Nats.JetStream;
using RecordKv.Testing;

namespace RecordKv.Builder.Tests;

/// <summary>The repo state as the commit point: a compare-and-set on the revision the writer based it on.</summary>
[Collection(BuilderStoreCollection.Name)]
public sealed class BuilderStoreTests(NatsServerFixture fixture)
{
    private const string Did = "did:plc:handover0000000000000000";

    private static readonly byte[] EmptyRecord = [0xA0];
    private static readonly Cid EmptyRecordCid = Cid.ForDagCbor(EmptyRecord);

    [Fact]
    public async Task PutRepoStateAsync_StateChangedSinceRead_ThrowsConflictAndKeepsTheNewerState()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await NatsConnection.ConnectAsync(new NatsOptions { Servers = [fixture.Url] }, token);
        var (oldHolder, newHolder) = await OpenTwoBuildersAsync(connection, token);
        oldHolder.OpenPartition(oldHolder.Partitioner.PartitionOf(Did));
        await oldHolder.PutRepoStateAsync(Did, new RepoState { Rev = "3kaaaaaaaaa2a" }, token);
        var cached = await oldHolder.GetRepoStateAsync(Did, token);

        // The partition changed hands: the new holder reads the state and writes a newer one.
        var read = await newHolder.GetRepoStateAsync(Did, token);
        await newHolder.PutRepoStateAsync(Did, read! with { Status = RepoStatuses.Active, AccountSeq = 20 }, token);

        // The old holder, still inside an older event, writes from its cached state: refused.
        var conflict = await Should.ThrowAsync<RepoStateConflictException>(() => oldHolder.PutRepoStateAsync(Did, cached! with { Status = "deactivated", AccountSeq = 10 }, token));
        conflict.Did.ShouldBe(Did);
        var stored = await new BuilderStore(oldHolder.Records, oldHolder.Repos, oldHolder.Identities, oldHolder.Index, oldHolder.Partitioner).GetRepoStateAsync(Did, token);
        stored!.Status.ShouldBe(RepoStatuses.Active);
        stored.AccountSeq.ShouldBe(20);
    }

    [Fact]
    public async Task PutRepoStateAsync_NewStateWhereOneWasWritten_ThrowsConflict()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await NatsConnection.ConnectAsync(new NatsOptions { Servers = [fixture.Url] }, token);
        var (first, second) = await OpenTwoBuildersAsync(connection, token);
        await first.PutRepoStateAsync(Did, new RepoState { Rev = "3kaaaaaaaaa2a" }, token);

        await Should.ThrowAsync<RepoStateConflictException>(() => second.PutRepoStateAsync(Did, new RepoState { Status = "deactivated" }, token));
    }

    [Fact]
    public async Task PutRepoStateAsync_OneWriterInSequence_EachWriteFollowsTheLast()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await NatsConnection.ConnectAsync(new NatsOptions { Servers = [fixture.Url] }, token);
        var (store, _) = await OpenTwoBuildersAsync(connection, token);
        store.OpenPartition(store.Partitioner.PartitionOf(Did));
        await store.PutRepoStateAsync(Did, new RepoState { Rev = "3kaaaaaaaaa2a" }, token);

        string[] revs = ["3kaaaaaaaaa3a", "3kaaaaaaaaa4a", "3kaaaaaaaaa5a"];
        foreach (var rev in revs)
        {
            var state = await store.GetRepoStateAsync(Did, token);
            await store.PutRepoStateAsync(Did, state! with { Rev = rev }, token);
        }

        var entry = await store.Repos.GetEntryAsync(RecordStoreKeys.RepoKeyFor(Did), token);
        (await store.GetRepoStateAsync(Did, token))!.Revision.ShouldBe(entry!.Revision);
        (await new BuilderStore(store.Records, store.Repos, store.Identities, store.Index, store.Partitioner).GetRepoStateAsync(Did, token))!.Rev.ShouldBe("3kaaaaaaaaa5a");
    }

    [Fact]
    public async Task ListRecordsAsync_StateFromBeforeTheIndex_ListsOnlyTheDidsLiveRecordsInCollectionsOfTheNamedLengths()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await NatsConnection.ConnectAsync(new NatsOptions { Servers = [fixture.Url] }, token);
        var (store, _) = await OpenTwoBuildersAsync(connection, token);
        var neighbour = NeighbourOf(store, Did);
        await PutEmptyRecordAsync(store, Did, "app.bsky.feed.post", "3kpost", token);
        await PutEmptyRecordAsync(store, Did, "app.bsky.feed.like", "3klike", token);
        await PutEmptyRecordAsync(store, Did, "com.example.three.tokens.more", "self", token);
        await PutEmptyRecordAsync(store, Did, "app.bsky.feed.post", "3kgone", token);
        await store.DeleteRecordAsync(Did, "app.bsky.feed.post", "3kgone", token);
        await PutEmptyRecordAsync(store, neighbour, "app.bsky.feed.post", "3kpost", token);

        var listed = await store.ListRecordsAsync(Did, PreIndexState(["app.bsky.feed.post", "com.example.three.tokens.more"]), token);

        listed.ShouldAllBe(entry => entry.Cid == EmptyRecordCid.ToString(), "each listed record carries its CID, so a resync can skip unchanged ones");
        // A like is a four-segment collection like a post: one a writer killed before naming it in the state is found.
        listed.Select(entry => entry.Id).OrderBy(id => id.Collection, StringComparer.Ordinal).ShouldBe(
        [
            new RecordId(Did, "app.bsky.feed.like", "3klike"),
            new RecordId(Did, "app.bsky.feed.post", "3kpost"),
            new RecordId(Did, "com.example.three.tokens.more", "self"),
        ]);
        (await store.ListRecordsAsync(Did, PreIndexState([]), token)).ShouldBeEmpty("no collection named, nothing listed: the partition is never scanned");
    }

    [Fact]
    public async Task ListRecordsAsync_IndexedDid_ListsTheStoredRecordsItsIndexNamesAndNothingElse()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await NatsConnection.ConnectAsync(new NatsOptions { Servers = [fixture.Url] }, token);
        var (store, _) = await OpenTwoBuildersAsync(connection, token);
        var neighbour = NeighbourOf(store, Did);
        await store.AddToIndexAsync(store.BeginWrites(), Did, ["app.bsky.feed.post/3kpost", "com.example.three.tokens.more/self", "app.bsky.feed.like/3knever"], token);
        await PutEmptyRecordAsync(store, Did, "app.bsky.feed.post", "3kpost", token);
        await PutEmptyRecordAsync(store, Did, "com.example.three.tokens.more", "self", token);
        await store.AddToIndexAsync(store.BeginWrites(), neighbour, ["app.bsky.feed.post/3kpost"], token);
        await PutEmptyRecordAsync(store, neighbour, "app.bsky.feed.post", "3kpost", token);

        var listed = await store.ListRecordsAsync(Did, state: null, token);

        // The like was indexed by a writer that died before writing it: listed in the index, not stored, not listed.
        listed.Select(entry => (entry.Id, entry.Cid)).OrderBy(entry => entry.Id.Collection, StringComparer.Ordinal).ShouldBe(
        [
            (new RecordId(Did, "app.bsky.feed.post", "3kpost"), EmptyRecordCid.ToString()),
            (new RecordId(Did, "com.example.three.tokens.more", "self"), EmptyRecordCid.ToString()),
        ]);
    }

    [Fact]
    public async Task ListRecordsAsync_IndexSubjectThatCannotBeRead_ListsThroughTheStatesCollectionsAndTheNextSnapshotReplacesIt()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await NatsConnection.ConnectAsync(new NatsOptions { Servers = [fixture.Url] }, token);
        var (store, _) = await OpenTwoBuildersAsync(connection, token);
        await store.Index.PublishAsync(Did, "written by something else\n"u8.ToArray(), token);
        await PutEmptyRecordAsync(store, Did, "app.bsky.feed.post", "3kpost", token);
        var state = new RepoState { Rev = "3kaaaaaaaaa2a", Collections = ["app.bsky.feed.post"] };

        var listed = await store.ListRecordsAsync(Did, state, token);
        var compacted = await store.CompleteIndexAsync(Did, state, added: 1024, removed: [], token);

        listed.Select(entry => entry.Id).ShouldBe([new RecordId(Did, "app.bsky.feed.post", "3kpost")]);
        compacted.IndexDeltas.ShouldBe(0);
        (await store.Index.ReadAsync(Did, token)).ToArray().ShouldBe(["app.bsky.feed.post/3kpost"], "the compaction's snapshot replaces what could not be read");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CompleteIndexAsync_DeletesAndDeltasPastTheBound_RemovesDeletedPathsAndFoldsTheSubjectIntoASnapshot(bool partitionConsumedHere)
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await NatsConnection.ConnectAsync(new NatsOptions { Servers = [fixture.Url] }, token);
        // Small chunks, so the snapshot takes several messages.
        var store = await FreshBuilderStore.OpenAsync(connection, token, indexCompactAfter: 8, chunkBytes: 1024);
        if (partitionConsumedHere)
        {
            // The DID's track is cached: after its first compaction the fold is kept in memory and compacted from.
            store.OpenPartition(store.Partitioner.PartitionOf(Did));
        }

        var track = await store.TrackAsync(Did, token);
        var state = new RepoState();
        var expected = new HashSet<string>(StringComparer.Ordinal);
        var everRemoved = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 20; i++)
        {
            string[] added = [.. Enumerable.Range(0, 10).Select(j => $"app.bsky.feed.like/3k{i:D3}{j:D3}")];
            var deltas = await store.AddToIndexAsync(store.BeginWrites(), Did, added, token);
            expected.UnionWith(added);
            string[] removed = [added[0], added[1]];
            expected.ExceptWith(removed);
            everRemoved.UnionWith(removed);
            state = await store.CompleteIndexAsync(Did, state, deltas, removed, token);
            state.IndexDeltas.ShouldNotBeNull().ShouldBeLessThan(8);
        }

        // The subject names every path stored, and at most paths of deleted records besides (a get each at a listing).
        var named = await store.Index.ReadAsync(Did, token);
        expected.ShouldAllBe(path => named.Contains(path));
        named.Except(expected).ShouldAllBe(path => everRemoved.Contains(path));
        var messages = (await new NatsJetStreamContext(connection).GetStreamSubjectsAsync(IndexStream(store), store.Index.SubjectFor(Did), token))[store.Index.SubjectFor(Did)];
        // 160 paths of 30 bytes in 1 KiB chunks: about 5 snapshot chunks, and fewer than 8 deltas since.
        ((int)messages).ShouldBeLessThan(6 + 8, "the folded deltas are purged");
        if (partitionConsumedHere)
        {
            track.IndexPaths.ShouldNotBeNull().OrderBy(path => path, StringComparer.Ordinal).ShouldBe(expected.OrderBy(path => path, StringComparer.Ordinal));

            // A listing goes by the fold: of the paths it names, those stored (only this one here) are listed.
            await PutEmptyRecordAsync(store, Did, "app.bsky.feed.like", "3k019009", token);
            (await store.ListRecordsAsync(Did, state, token)).Select(entry => entry.Id).ShouldBe([new RecordId(Did, "app.bsky.feed.like", "3k019009")]);

            // The DID's next delta carries the removals still due: the subject then names exactly what is stored.
            await store.AddToIndexAsync(store.BeginWrites(), Did, ["app.bsky.feed.post/3knext"], token);
            expected.Add("app.bsky.feed.post/3knext");
            (await store.Index.ReadAsync(Did, token)).OrderBy(path => path, StringComparer.Ordinal).ShouldBe(expected.OrderBy(path => path, StringComparer.Ordinal));
        }
        else
        {
            track.IndexPaths.ShouldBeNull("a partition not consumed here keeps nothing of its DIDs");
        }
    }

    [Fact]
    public async Task ReconcileAsync_RealRepositoryOverPartlyStaleStore_WritesOnlyChangedRecordsDeletesTheRestAndIndexesWhatIsStored()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await NatsConnection.ConnectAsync(new NatsOptions { Servers = [fixture.Url] }, token);
        var (store, _) = await OpenTwoBuildersAsync(connection, token);
        var repository = Repository.Load(await File.ReadAllBytesAsync(SharedFixtures.Path("real", "repos", "paul_staging.repo.car"), token));
        var did = repository.Did;
        repository.Records.Count.ShouldBeGreaterThan(2);
        var unchanged = repository.Records[0];
        var changed = repository.Records[1];
        await store.PutRecordAsync(did, unchanged.Collection, unchanged.RecordKey, unchanged.Cid, "3kaaaaaaaaa2a", unchanged.Data.Span, token);
        await PutEmptyRecordAsync(store, did, changed.Collection, changed.RecordKey, token);
        await PutEmptyRecordAsync(store, did, "app.bsky.feed.like", "3kdeletedduringgap", token);
        var unchangedKey = store.RecordKey(did, unchanged.Collection, unchanged.RecordKey);
        var unchangedRevision = (await store.Records.GetEntryAsync(unchangedKey, token))!.Revision;
        // Stored before the record index existed: listed by collection, and indexed by the reconcile.
        var preIndex = PreIndexState([unchanged.Collection, changed.Collection, "app.bsky.feed.like"]);

        var existing = await store.ListRecordsAsync(did, preIndex, token);
        var (written, deleted, indexDeltas) = await store.ReconcileAsync(did, repository, existing, static _ => true, static _ => true, token);

        written.ShouldBe(repository.Records.Count - 1, "every record but the one stored with its CID");
        deleted.ShouldBe(1);
        indexDeltas.ShouldBe(1, "the deleted record's path leaves the index after the snapshot");
        (await store.Records.GetEntryAsync(unchangedKey, token))!.Revision.ShouldBe(unchangedRevision, "an unchanged record is not written again");
        var after = await store.ListRecordsAsync(did, new RepoState { IndexDeltas = indexDeltas }, token);
        after.Select(entry => (entry.Id.Collection, entry.Id.RecordKey, entry.Cid)).OrderBy(entry => entry, Comparer<(string, string, string?)>.Default).ShouldBe(
            repository.Records.Select(record => (record.Collection, record.RecordKey, (string?)record.Cid.ToString())).OrderBy(entry => entry, Comparer<(string, string, string?)>.Default));
        (await store.Index.ReadAsync(did, token)).Count.ShouldBe(repository.Records.Count);
    }

    [Fact]
    public async Task AnnounceCollectionsAsync_IndexedOrNewDid_WritesNothing()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await NatsConnection.ConnectAsync(new NatsOptions { Servers = [fixture.Url] }, token);
        var (store, _) = await OpenTwoBuildersAsync(connection, token);

        (await store.AnnounceCollectionsAsync(Did, null, ["app.bsky.feed.post", "xyz.statusphere.status"], token)).ShouldBeNull();
        var indexed = new RepoState { Rev = "3kaaaaaaaaa2a" };
        (await store.AnnounceCollectionsAsync(Did, indexed, ["app.bsky.feed.post"], token)).ShouldBeSameAs(indexed);

        (await store.Repos.GetEntryAsync(RecordStoreKeys.RepoKeyFor(Did), token)).ShouldBeNull("the record index lists what a writer leaves behind");
    }

    [Fact]
    public async Task AnnounceCollectionsAsync_StateFromBeforeTheIndexWithCollectionsOfLengthsAlreadyCovered_WritesNothing()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await NatsConnection.ConnectAsync(new NatsOptions { Servers = [fixture.Url] }, token);
        var (store, _) = await OpenTwoBuildersAsync(connection, token);
        var state = await PreIndexStateAsync(store, Did, ["app.bsky.feed.post"], token);

        var same = await store.AnnounceCollectionsAsync(Did, state, ["app.bsky.feed.post", "app.bsky.graph.follow"], token);
        var grown = await store.AnnounceCollectionsAsync(Did, same, ["app.bsky.graph.follow", "xyz.statusphere.status"], token);

        same.ShouldBeSameAs(state, "a follow is a four-segment collection like a post");
        BuilderStore.Covers(state, ["app.bsky.graph.follow"]).ShouldBeTrue();
        BuilderStore.Covers(state, ["xyz.statusphere.status"]).ShouldBeFalse();
        grown!.Revision.ShouldBeGreaterThan(state.Revision);
        (await store.Repos.GetEntryAsync(RecordStoreKeys.RepoKeyFor(Did), token))!.Revision.ShouldBe(grown.Revision, "one write, for the new length");
        grown.Collections.ShouldBe(["app.bsky.feed.post", "xyz.statusphere.status"]);
        grown.Rev.ShouldBe("3kaaaaaaaaa2a");
        grown.IndexDeltas.ShouldBeNull("still listed by collection until a resync indexes it");
    }

    // A repo state as a builder from before the record index wrote it (no indexDeltas).
    private static RepoState PreIndexState(string[] collections) => new() { Rev = "3kaaaaaaaaa2a", Collections = collections, IndexDeltas = null };

    // The same, stored and read back.
    private static async Task<RepoState> PreIndexStateAsync(BuilderStore store, string did, string[] collections, CancellationToken token)
    {
        await store.PutRepoStateAsync(did, PreIndexState(collections), token);
        var state = await store.GetRepoStateAsync(did, token);
        state!.IndexDeltas.ShouldBeNull("a stored state without indexDeltas reads back as one from before the index");
        return state;
    }

    private static string IndexStream(BuilderStore store) => "RECORD_INDEX_" + store.Records.Bucket["record_".Length..];

    // An empty-map record, as a commit of rev 3kaaaaaaaaa2a writes it.
    private static Task PutEmptyRecordAsync(BuilderStore store, string did, string collection, string recordKey, CancellationToken token) =>
        store.PutRecordAsync(did, collection, recordKey, EmptyRecordCid, "3kaaaaaaaaa2a", EmptyRecord, token);

    // Another DID in the same partition as the given one.
    private static string NeighbourOf(BuilderStore store, string did)
    {
        for (var i = 0; ; i++)
        {
            var candidate = $"did:plc:neighbour{i:D17}";
            if (store.Partitioner.PartitionOf(candidate) == store.Partitioner.PartitionOf(did))
            {
                return candidate;
            }
        }
    }

    // Two builders' views of the same (fresh) buckets.
    private static async Task<(BuilderStore First, BuilderStore Second)> OpenTwoBuildersAsync(NatsConnection connection, CancellationToken token)
    {
        var first = await FreshBuilderStore.OpenAsync(connection, token);
        return (first, new BuilderStore(first.Records, first.Repos, first.Identities, first.Index, first.Partitioner));
    }
}
