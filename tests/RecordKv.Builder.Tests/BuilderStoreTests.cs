using RecordKv.Atproto.Cids;
using RecordKv.Atproto.Repo;
using RecordKv.Contracts;
using RecordKv.Nats;
using RecordKv.Testing;

namespace RecordKv.Builder.Tests;

/// <summary>The repo state as the commit point: a compare-and-set on the revision the writer based it on.</summary>
[Collection(BuilderStoreCollection.Name)]
public sealed class BuilderStoreTests(NatsServerFixture fixture)
{
    private const string Did = "did:plc:handover0000000000000000";

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
        var stored = await new BuilderStore(oldHolder.Records, oldHolder.Repos, oldHolder.Identities, oldHolder.Partitioner).GetRepoStateAsync(Did, token);
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
        (await new BuilderStore(store.Records, store.Repos, store.Identities, store.Partitioner).GetRepoStateAsync(Did, token))!.Rev.ShouldBe("3kaaaaaaaaa5a");
    }

    [Fact]
    public async Task ListRecordsAsync_OtherDidsAndDeletedRecordsInThePartition_ListsOnlyTheDidsLiveRecordsInCollectionsOfTheNamedLengths()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await NatsConnection.ConnectAsync(new NatsOptions { Servers = [fixture.Url] }, token);
        var (store, _) = await OpenTwoBuildersAsync(connection, token);
        var neighbour = NeighbourOf(store, Did);
        byte[] emptyMap = [0xA0];
        var cid = Cid.ForDagCbor(emptyMap);
        await store.PutRecordAsync(Did, "app.bsky.feed.post", "3kpost", cid, "3kaaaaaaaaa2a", emptyMap, token);
        await store.PutRecordAsync(Did, "app.bsky.feed.like", "3klike", cid, "3kaaaaaaaaa2a", emptyMap, token);
        await store.PutRecordAsync(Did, "com.example.three.tokens.more", "self", cid, "3kaaaaaaaaa2a", emptyMap, token);
        await store.PutRecordAsync(Did, "app.bsky.feed.post", "3kgone", cid, "3kaaaaaaaaa2a", emptyMap, token);
        await store.DeleteRecordAsync(Did, "app.bsky.feed.post", "3kgone", token);
        await store.PutRecordAsync(neighbour, "app.bsky.feed.post", "3kpost", cid, "3kaaaaaaaaa2a", emptyMap, token);

        var listed = await store.ListRecordsAsync(Did, ["app.bsky.feed.post", "com.example.three.tokens.more"], only: null, token);
        var onlyPosts = await store.ListRecordsAsync(Did, ["app.bsky.feed.post"], only: collection => collection == "app.bsky.feed.post", token);

        listed.ShouldAllBe(entry => entry.Cid == cid.ToString(), "each listed record carries its CID, so a resync can skip unchanged ones");
        // A like is a four-segment collection like a post: one a writer killed before naming it in the state is found.
        listed.Select(entry => entry.Id).OrderBy(id => id.Collection, StringComparer.Ordinal).ShouldBe(
        [
            new RecordId(Did, "app.bsky.feed.like", "3klike"),
            new RecordId(Did, "app.bsky.feed.post", "3kpost"),
            new RecordId(Did, "com.example.three.tokens.more", "self"),
        ]);
        onlyPosts.Select(entry => entry.Id).ShouldBe([new RecordId(Did, "app.bsky.feed.post", "3kpost")]);
        (await store.ListRecordsAsync(Did, [], only: null, token)).ShouldBeEmpty("no collection named, nothing listed: the partition is never scanned");
    }

    [Fact]
    public async Task ReconcileAsync_RealRepositoryOverPartlyStaleStore_WritesOnlyChangedRecordsAndDeletesTheRest()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await NatsConnection.ConnectAsync(new NatsOptions { Servers = [fixture.Url] }, token);
        var (store, _) = await OpenTwoBuildersAsync(connection, token);
        var repository = Repository.Load(await File.ReadAllBytesAsync(SharedFixtures.Path("real", "repos", "paul_staging.repo.car"), token));
        var did = repository.Did;
        repository.Records.Count.ShouldBeGreaterThan(2);
        var unchanged = repository.Records[0];
        var changed = repository.Records[1];
        byte[] emptyMap = [0xA0];
        await store.PutRecordAsync(did, unchanged.Collection, unchanged.RecordKey, unchanged.Cid, "3kaaaaaaaaa2a", unchanged.Data.Span, token);
        await store.PutRecordAsync(did, changed.Collection, changed.RecordKey, Cid.ForDagCbor(emptyMap), "3kaaaaaaaaa2a", emptyMap, token);
        await store.PutRecordAsync(did, "app.bsky.feed.like", "3kdeletedduringgap", Cid.ForDagCbor(emptyMap), "3kaaaaaaaaa2a", emptyMap, token);
        var unchangedKey = store.RecordKey(did, unchanged.Collection, unchanged.RecordKey);
        var unchangedRevision = (await store.Records.GetEntryAsync(unchangedKey, token))!.Revision;
        string[] collections = [unchanged.Collection, changed.Collection, "app.bsky.feed.like"];

        var existing = await store.ListRecordsAsync(did, collections, only: null, token);
        var (written, deleted) = await store.ReconcileAsync(did, repository, existing, static _ => true, token);

        written.ShouldBe(repository.Records.Count - 1, "every record but the one stored with its CID");
        deleted.ShouldBe(1);
        (await store.Records.GetEntryAsync(unchangedKey, token))!.Revision.ShouldBe(unchangedRevision, "an unchanged record is not written again");
        var after = await store.ListRecordsAsync(did, [.. repository.GetCollections(), "app.bsky.feed.like"], only: null, token);
        after.Select(entry => (entry.Id.Collection, entry.Id.RecordKey, entry.Cid)).OrderBy(entry => entry, Comparer<(string, string, string?)>.Default).ShouldBe(
            repository.Records.Select(record => (record.Collection, record.RecordKey, (string?)record.Cid.ToString())).OrderBy(entry => entry, Comparer<(string, string, string?)>.Default));
    }

    [Fact]
    public async Task AnnounceCollectionsAsync_NoStateYet_TheStoredStateCoversTheCollectionsBeforeAnyRecordIsWritten()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await NatsConnection.ConnectAsync(new NatsOptions { Servers = [fixture.Url] }, token);
        var (writer, afterCrash) = await OpenTwoBuildersAsync(connection, token);

        var announced = await writer.AnnounceCollectionsAsync(Did, null, ["app.bsky.feed.post", "app.bsky.feed.like", "xyz.statusphere.status"], token);

        // A writer that dies now, between its record writes and its final state, leaves a state a listing starts from:
        // one collection of each length.
        var stored = await afterCrash.GetRepoStateAsync(Did, token);
        stored!.Collections.ShouldBe(["app.bsky.feed.post", "xyz.statusphere.status"]);
        stored.Rev.ShouldBeNull("no commit is applied yet");
        announced!.Revision.ShouldBe(stored.Revision, "the writer's final state follows the announcement by compare-and-set");
    }

    [Fact]
    public async Task AnnounceCollectionsAsync_CollectionsOfLengthsAlreadyCovered_WritesNothing()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await NatsConnection.ConnectAsync(new NatsOptions { Servers = [fixture.Url] }, token);
        var (store, _) = await OpenTwoBuildersAsync(connection, token);
        await store.PutRepoStateAsync(Did, new RepoState { Rev = "3kaaaaaaaaa2a", Collections = ["app.bsky.feed.post"] }, token);
        var state = await store.GetRepoStateAsync(Did, token);

        var same = await store.AnnounceCollectionsAsync(Did, state, ["app.bsky.feed.post", "app.bsky.graph.follow"], token);
        var grown = await store.AnnounceCollectionsAsync(Did, same, ["app.bsky.graph.follow", "xyz.statusphere.status"], token);

        same.ShouldBeSameAs(state, "a follow is a four-segment collection like a post");
        BuilderStore.Covers(state, ["app.bsky.graph.follow"]).ShouldBeTrue();
        BuilderStore.Covers(state, ["xyz.statusphere.status"]).ShouldBeFalse();
        grown!.Revision.ShouldBeGreaterThan(state!.Revision);
        (await store.Repos.GetEntryAsync(RecordStoreKeys.RepoKeyFor(Did), token))!.Revision.ShouldBe(grown.Revision, "one write, for the new length");
        grown.Collections.ShouldBe(["app.bsky.feed.post", "xyz.statusphere.status"]);
        grown.Rev.ShouldBe("3kaaaaaaaaa2a");
    }

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
        return (first, new BuilderStore(first.Records, first.Repos, first.Identities, first.Partitioner));
    }
}
