using System.Buffers;
using System.Globalization;
using System.Text.Json;
using RecordKv.Atproto.Cbor;
using RecordKv.Atproto.Cids;
using RecordKv.Atproto.Repo;
using RecordKv.Contracts;
using RecordKv.Nats;
using RecordKv.Nats.JetStream;
using RecordKv.Nats.KeyValue;

namespace RecordKv.Builder;

/// <summary>
/// The builder's view of the buckets: records (written through the asynchronous <see cref="RecordWriter"/>), the
/// record index that lists them per DID (<see cref="RecordIndex"/>), repo states (cached per partition this builder
/// consumes: the DID's lane is the only writer while the partition is held, so the cache is the stored value) and
/// identities.
/// </summary>
internal sealed class BuilderStore
{
    // The largest record index fold kept in memory per repository (a busy repository's; see CompleteIndexAsync).
    private const int IndexFoldMaxPaths = 65_536;

    private readonly RecordStoreKeys _keys;
    private readonly RecordWriter? _writer;
    private readonly BoundedLruCache<string, RepoTrack>?[] _tracks;
    private readonly int _trackCapacity;
    private readonly int _indexCompactAfter;

    public BuilderStore(NatsKvStore records, NatsKvStore repos, NatsKvStore identities, RecordIndex index, DidPartitioner partitioner, RecordWriter? writer = null, int repoStateCacheSize = 100_000, int indexCompactAfter = 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(indexCompactAfter, 1);
        Records = records;
        Index = index;
        _indexCompactAfter = indexCompactAfter;
        Repos = repos;
        Identities = identities;
        Partitioner = partitioner;
        _keys = new RecordStoreKeys(partitioner);
        _writer = writer;
        _tracks = new BoundedLruCache<string, RepoTrack>?[partitioner.PartitionCount];
        _trackCapacity = Math.Max(64, repoStateCacheSize / Math.Max(1, partitioner.PartitionCount));
    }

    public NatsKvStore Records { get; }

    public NatsKvStore Repos { get; }

    public RecordIndex Index { get; }

    public NatsKvStore Identities { get; }

    public DidPartitioner Partitioner { get; }

    public string RecordKey(string did, string collection, string recordKey) => _keys.KeyFor(new RecordId(did, collection, recordKey));

    /// <summary>Starts caching the repo states of a partition this builder now consumes (and forgets an older cache of it).</summary>
    public void OpenPartition(int partition) => Volatile.Write(ref _tracks[partition], new BoundedLruCache<string, RepoTrack>(_trackCapacity, StringComparer.Ordinal));

    /// <summary>Stops caching a partition's repo states: another builder may write them from now on.</summary>
    public void ClosePartition(int partition) => Volatile.Write(ref _tracks[partition], null);

    /// <summary>
    /// The DID's track: cached when its partition is consumed here, else read afresh (and not kept). The caller is
    /// the DID's lane (or, for a partition not consumed here, the only writer of the DID by other means).
    /// </summary>
    public async Task<RepoTrack> TrackAsync(string did, CancellationToken cancellationToken)
    {
        var cache = Volatile.Read(ref _tracks[Partitioner.PartitionOf(did)]);
        if (cache is not null && cache.TryGet(did, out var track))
        {
            return track;
        }

        track = new RepoTrack(await ReadRepoStateAsync(did, cancellationToken).ConfigureAwait(false));
        cache?.Set(did, track);
        return track;
    }

    /// <summary>
    /// Forgets a DID's cached track after a failure left its in-memory state uncertain: the next event reads the stored
    /// state afresh (and is not mistaken for a replay of the one that failed).
    /// </summary>
    public void Forget(string did) => Volatile.Read(ref _tracks[Partitioner.PartitionOf(did)])?.Remove(did);

    /// <summary>Repo states cached now, over all partitions.</summary>
    public int CachedRepoStates
    {
        get
        {
            var count = 0;
            foreach (var cache in _tracks)
            {
                count += cache?.Count ?? 0;
            }

            return count;
        }
    }

    public async Task<RepoState?> GetRepoStateAsync(string did, CancellationToken cancellationToken) =>
        (await TrackAsync(did, cancellationToken).ConfigureAwait(false)).State;

    private async Task<RepoState?> ReadRepoStateAsync(string did, CancellationToken cancellationToken)
    {
        var entry = await Repos.GetAsync(RecordStoreKeys.RepoKeyFor(did), cancellationToken).ConfigureAwait(false);
        if (entry is null || entry.Operation != NatsKvOperation.Put || entry.Value.IsEmpty)
        {
            return null;
        }

        var state = JsonSerializer.Deserialize(entry.Value.Span, BuilderJsonContext.Default.RepoState);
        if (state is not null)
        {
            state.Revision = entry.Revision;
        }

        return state;
    }

    /// <summary>
    /// Writes the repo state (acknowledged) by compare-and-set on the revision it was based on (<see cref="RepoState.Revision"/>,
    /// kept by <c>with</c> copies of the state read), then remembers it, at its new revision, as the DID's cached state.
    /// Costs the same one round trip as a plain put.
    /// </summary>
    /// <exception cref="RepoStateConflictException">The stored state changed since it was read: another writer got there first.</exception>
    public async Task PutRepoStateAsync(string did, RepoState state, CancellationToken cancellationToken)
    {
        var key = RecordStoreKeys.RepoKeyFor(did);
        var value = JsonSerializer.SerializeToUtf8Bytes(state, BuilderJsonContext.Default.RepoState);
        var expected = state.Revision;
        try
        {
            // No state read: create (which also replaces a deleted key's marker); else update exactly the one read.
            state.Revision = expected == 0
                ? await Repos.CreateAsync(key, value, cancellationToken: cancellationToken).ConfigureAwait(false)
                : await Repos.UpdateAsync(key, value, expected, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (NatsJetStreamWrongLastSequenceException exception)
        {
            throw new RepoStateConflictException(did, expected, exception);
        }

        var cache = Volatile.Read(ref _tracks[Partitioner.PartitionOf(did)]);
        if (cache is not null && cache.TryGet(did, out var track))
        {
            track.State = state;
        }
    }

    /// <summary>
    /// Makes the stored repo state cover every collection in <paramref name="collections"/> before records are written
    /// there, and returns the state to go on from. A listing (<see cref="ListRecordsAsync"/>) walks the DID's keys in
    /// every collection with as many segments as one the state names, so a writer that dies between its record writes
    /// and its final state must not leave records in a collection of another length: no later listing would see them,
    /// and a resync would never delete them. Writes (one compare-and-set, naming the collection) only for a DID's first
    /// record of all (the state then holds only its collections until the writer's final state follows) or its first
    /// in a collection of a new length (most collections have 4 segments: app.bsky.feed.post, ...).
    /// </summary>
    /// <remarks>Only for a state written before the record index existed: an indexed DID's listing reads the index.</remarks>
    public async Task<RepoState?> AnnounceCollectionsAsync(string did, RepoState? state, IEnumerable<string> collections, CancellationToken cancellationToken)
    {
        if (RepoState.IsIndexed(state))
        {
            return state;
        }

        var current = state?.Collections ?? [];
        var covered = SegmentCounts(current);
        List<string>? grown = null;
        foreach (var collection in collections)
        {
            if ((covered & SegmentBit(collection)) == 0)
            {
                covered |= SegmentBit(collection);
                (grown ??= [.. current]).Add(collection);
            }
        }

        if (grown is null)
        {
            return state;
        }

        var announced = (state ?? new RepoState()) with { Collections = grown };
        await PutRepoStateAsync(did, announced, cancellationToken).ConfigureAwait(false);
        return announced;
    }

    /// <summary>Whether <see cref="AnnounceCollectionsAsync"/> has nothing to write for these collections.</summary>
    public static bool Covers(RepoState? state, IEnumerable<string> collections)
    {
        if (RepoState.IsIndexed(state))
        {
            return true;
        }

        var covered = SegmentCounts(state?.Collections ?? []);
        foreach (var collection in collections)
        {
            if ((covered & SegmentBit(collection)) == 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Starts a batch of record writes whose acknowledgements are awaited together.</summary>
    public RecordWriteBatch BeginWrites() => new();

    /// <summary>Publishes a record put into a batch (without waiting for its acknowledgement when the asynchronous writer is in use).</summary>
    public async ValueTask PutRecordAsync(RecordWriteBatch batch, string key, Cid cid, string rev, ReadOnlyMemory<byte> cbor, CancellationToken cancellationToken)
    {
        if (_writer is not null)
        {
            await _writer.PutAsync(batch, key, cid, rev, cbor, cancellationToken).ConfigureAwait(false);
            return;
        }

        var (buffer, length) = RecordWriter.ToJson(cbor.Span);
        try
        {
            var headers = new NatsHeaders().Add(AtprotoHeaders.Cid, cid.ToString()).Add(AtprotoHeaders.Rev, rev);
            await Records.PutAsync(key, buffer.AsMemory(0, length), headers, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Makes the store's records of a DID equal a fetched repository (resync and backfill): puts every record of an
    /// included collection whose CID the store does not already hold, and deletes every <paramref name="existing"/>
    /// record in <paramref name="scope"/> the repository lacks or that is not included. The DID's record index is
    /// replaced first by a snapshot of every path stored or about to be (so a crash in the middle leaves nothing
    /// unlisted), and the deleted paths are removed from it once the deletes are acknowledged. Returns once every write
    /// is acknowledged, so the repo state (the commit point) can follow, with the messages on the index subject since
    /// the snapshot (<see cref="RepoState.IndexDeltas"/>).
    /// </summary>
    /// <param name="did">The repository's DID.</param>
    /// <param name="repository">The fetched and verified repository.</param>
    /// <param name="existing">Every record <see cref="ListRecordsAsync"/> found for the DID.</param>
    /// <param name="includes">Whether a collection is stored; a hidden account includes none.</param>
    /// <param name="scope">Whether a collection's stored records are reconciled at all (a backfill of some collections leaves the others alone).</param>
    /// <param name="cancellationToken">Stops the writes; the repo state is then not written and the caller retries.</param>
    public async Task<(int Written, int Deleted, int IndexDeltas)> ReconcileAsync(
        string did, Repository repository, IReadOnlyList<StoredRecordKey> existing, Func<string, bool> includes, Func<string, bool> scope, CancellationToken cancellationToken)
    {
        var stored = new Dictionary<string, string?>(existing.Count, StringComparer.Ordinal);
        var paths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in existing)
        {
            stored[record.Key] = record.Cid;
            paths.Add(RecordIndex.PathOf(record.Id.Collection, record.Id.RecordKey));
        }

        foreach (var record in repository.Records)
        {
            if (includes(record.Collection))
            {
                paths.Add(RecordIndex.PathOf(record.Collection, record.RecordKey));
            }
        }

        await WriteIndexSnapshotAsync(did, paths, cancellationToken).ConfigureAwait(false);

        var rev = repository.Rev ?? "";
        var writes = BeginWrites();
        var written = 0;
        foreach (var record in repository.Records)
        {
            if (!includes(record.Collection))
            {
                continue;
            }

            var key = RecordKey(did, record.Collection, record.RecordKey);
            // An unchanged record is not written again: no write, and no change event for the indexers.
            if (stored.TryGetValue(key, out var cid) && cid is not null && cid == record.Cid.ToString())
            {
                continue;
            }

            await PutRecordAsync(writes, key, record.Cid, rev, record.Data, cancellationToken).ConfigureAwait(false);
            written++;
        }

        var removed = new List<string>();
        foreach (var record in existing)
        {
            if (!scope(record.Id.Collection)
                || (includes(record.Id.Collection) && repository.TryGetRecord(record.Id.Collection, record.Id.RecordKey, out _)))
            {
                continue;
            }

            await DeleteRecordAsync(writes, record.Key, cancellationToken).ConfigureAwait(false);
            removed.Add(RecordIndex.PathOf(record.Id.Collection, record.Id.RecordKey));
        }

        await writes.WhenAcknowledgedAsync(cancellationToken).ConfigureAwait(false);
        var indexDeltas = await RemoveFromIndexAsync(did, removed, cancellationToken).ConfigureAwait(false);
        return (written, removed.Count, indexDeltas);
    }

    /// <summary>
    /// Deletes every record the store holds for a DID (account deleted or hidden) and leaves its record index empty;
    /// returns how many.
    /// </summary>
    public async Task<int> RemoveAllRecordsAsync(string did, RepoState? state, CancellationToken cancellationToken)
    {
        var existing = await ListRecordsAsync(did, state, cancellationToken).ConfigureAwait(false);
        var writes = BeginWrites();
        foreach (var record in existing)
        {
            await DeleteRecordAsync(writes, record.Key, cancellationToken).ConfigureAwait(false);
        }

        await writes.WhenAcknowledgedAsync(cancellationToken).ConfigureAwait(false);
        await WriteIndexSnapshotAsync(did, [], cancellationToken).ConfigureAwait(false);
        return existing.Count;
    }

    /// <summary>
    /// Adds record paths to a DID's index ahead of their record writes, into the same batch: published before them on
    /// the same connection, so the server stores the paths first. The same delta removes the paths of records deleted
    /// since the DID's last delta (<see cref="RepoTrack.IndexRemovals"/>). Returns the messages published.
    /// </summary>
    public async ValueTask<int> AddToIndexAsync(RecordWriteBatch batch, string did, IReadOnlyCollection<string> paths, CancellationToken cancellationToken)
    {
        var track = CachedTrack(did);
        // The fold kept in memory stays a superset of the subject: it learns the paths before they are published.
        track?.IndexPaths?.UnionWith(paths);
        IEnumerable<string> removed = [];
        if (track?.IndexRemovals is { } removals)
        {
            removed = removals;
            track.IndexRemovals = null;
        }

        var messages = Index.EncodeDelta(removed, paths);
        foreach (var message in messages)
        {
            if (_writer is not null)
            {
                await _writer.PublishAsync(batch, Index.SubjectFor(did), message, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await Index.PublishAsync(did, message, cancellationToken).ConfigureAwait(false);
            }
        }

        return messages.Count;
    }

    /// <summary>
    /// After a DID's record writes are acknowledged: counts the <paramref name="added"/> index messages published for
    /// them, the deleted paths leave its index with the DID's next delta (or its next snapshot), and once the index has
    /// gathered <c>indexCompactAfter</c> messages since its snapshot, they are folded into a new one. Returns the state to
    /// write (<see cref="RepoState.IndexDeltas"/> counted on; the same state when nothing changed).
    /// </summary>
    public async Task<RepoState> CompleteIndexAsync(string did, RepoState state, int added, IReadOnlyCollection<string> removed, CancellationToken cancellationToken)
    {
        if (state.IndexDeltas is not { } deltas)
        {
            return state;
        }

        deltas += added;
        var track = CachedTrack(did);
        if (removed.Count > 0 && track is not null)
        {
            // The deletes are acknowledged: the store no longer holds these records, whatever the subject still says.
            track.IndexPaths?.ExceptWith(removed);
            (track.IndexRemovals ??= new HashSet<string>(StringComparer.Ordinal)).UnionWith(removed);
        }

        if (deltas < _indexCompactAfter)
        {
            return deltas == state.IndexDeltas ? state : state with { IndexDeltas = deltas };
        }

        // nats-server 2.9 finds each next message of a subject by scanning the stream from the previous one, so reading
        // a busy repository's subject costs what the whole stream took meanwhile: read it once, then keep the fold
        // (bounded by IndexFoldMaxPaths) and compact from memory.
        var paths = track?.IndexPaths;
        if (paths is null)
        {
            try
            {
                paths = new HashSet<string>(await Index.ReadAsync(did, cancellationToken).ConfigureAwait(false), StringComparer.Ordinal);
                paths.ExceptWith(track?.IndexRemovals ?? removed);
            }
            catch (FormatException)
            {
                // A subject that cannot be read: the snapshot names what the walk through the state's collections finds.
                paths = new HashSet<string>(StringComparer.Ordinal);
                foreach (var record in await ListRecordsAsync(did, state, cancellationToken).ConfigureAwait(false))
                {
                    paths.Add(RecordIndex.PathOf(record.Id.Collection, record.Id.RecordKey));
                }
            }
        }

        await Index.WriteSnapshotAsync(did, paths, cancellationToken).ConfigureAwait(false);
        if (track is not null)
        {
            track.IndexPaths = paths.Count <= IndexFoldMaxPaths ? paths : null;
            track.IndexRemovals = null;
        }

        return state with { IndexDeltas = 0 };
    }

    // Removes paths from the DID's index by a delta of their own (acknowledged); returns the messages published.
    private async Task<int> RemoveFromIndexAsync(string did, IReadOnlyCollection<string> removed, CancellationToken cancellationToken)
    {
        var messages = Index.EncodeDelta(removed, []);
        foreach (var message in messages)
        {
            await Index.PublishAsync(did, message, cancellationToken).ConfigureAwait(false);
        }

        // Only once acknowledged: until then the subject may still name them.
        CachedTrack(did)?.IndexPaths?.ExceptWith(removed);
        return messages.Count;
    }

    // Replaces the DID's subject with a snapshot; a fold kept in memory follows it.
    private async Task WriteIndexSnapshotAsync(string did, IReadOnlyCollection<string> paths, CancellationToken cancellationToken)
    {
        var track = CachedTrack(did);
        if (track?.IndexPaths is not null)
        {
            // A superset while the snapshot is written: the old paths stay until it is complete.
            track.IndexPaths.UnionWith(paths);
        }

        await Index.WriteSnapshotAsync(did, paths, cancellationToken).ConfigureAwait(false);
        if (track is not null)
        {
            // The snapshot names only what the store holds or is about to: nothing is left to remove.
            track.IndexRemovals = null;
            if (track.IndexPaths is not null)
            {
                track.IndexPaths = paths.Count <= IndexFoldMaxPaths ? new HashSet<string>(paths, StringComparer.Ordinal) : null;
            }
        }
    }

    // The DID's track when its partition's cache holds it (the only one whose fold is kept up to date).
    private RepoTrack? CachedTrack(string did) =>
        Volatile.Read(ref _tracks[Partitioner.PartitionOf(did)]) is { } cache && cache.TryGet(did, out var track) ? track : null;

    /// <summary>Publishes a record delete into a batch.</summary>
    public async ValueTask DeleteRecordAsync(RecordWriteBatch batch, string key, CancellationToken cancellationToken)
    {
        if (_writer is not null)
        {
            await _writer.DeleteAsync(batch, key, cancellationToken).ConfigureAwait(false);
            return;
        }

        await Records.DeleteAsync(key, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes one record as atproto JSON with its CID and the commit's revision in the headers.</summary>
    public Task PutRecordAsync(string did, string collection, string recordKey, Cid cid, string rev, ReadOnlySpan<byte> cbor, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(cbor.Length * 2 + 64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            DagCborJson.WriteJson(cbor, writer);
        }

        var headers = new NatsHeaders().Add(AtprotoHeaders.Cid, cid.ToString()).Add(AtprotoHeaders.Rev, rev);
        return Records.PutAsync(RecordKey(did, collection, recordKey), buffer.WrittenMemory, headers, cancellationToken);
    }

    public Task DeleteRecordAsync(string did, string collection, string recordKey, CancellationToken cancellationToken) =>
        Records.DeleteAsync(RecordKey(did, collection, recordKey), cancellationToken: cancellationToken);

    /// <summary>
    /// Lists the records the store holds for a DID, with their CIDs: the paths its record index names (one get each;
    /// read from the subject, or from the fold kept in memory for a busy repository), or, for a state written before the
    /// index existed, every record in a collection with as many segments as one of
    /// the state's collections (they cover every record, see <see cref="AnnounceCollectionsAsync"/>).
    /// </summary>
    internal async Task<List<StoredRecordKey>> ListRecordsAsync(string did, RepoState? state, CancellationToken cancellationToken)
    {
        var entries = RepoState.IsIndexed(state)
            ? await IndexedEntriesAsync(did, state, cancellationToken).ConfigureAwait(false)
            : await WalkRecordsAsync(did, state!.Collections, cancellationToken).ConfigureAwait(false);
        var found = new List<StoredRecordKey>(entries.Count);
        foreach (var entry in entries)
        {
            found.Add(new StoredRecordKey(entry.Key, RecordStoreKeys.ParseKey(entry.Key, out _), entry.Headers?.GetLastValue(AtprotoHeaders.Cid)));
        }

        return found;
    }

    // The stored records the DID's record index names. A subject that cannot be read (written by something else than a
    // builder) is passed over for the walk through the state's collections (every collection the DID has records in,
    // once its writer's final state is written); the caller's snapshot then replaces it.
    private async Task<IReadOnlyList<NatsKvEntry>> IndexedEntriesAsync(string did, RepoState? state, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        try
        {
            // A busy repository's fold kept in memory names every stored record, as the subject does.
            foreach (var path in CachedTrack(did)?.IndexPaths ?? await Index.ReadAsync(did, cancellationToken).ConfigureAwait(false))
            {
                var slash = path.IndexOf('/', StringComparison.Ordinal);
                if (slash <= 0)
                {
                    throw new FormatException($"record index of {did}: '{path}' is not collection/rkey");
                }

                keys.Add(RecordKey(did, path[..slash], path[(slash + 1)..]));
            }
        }
        catch (FormatException)
        {
            return await WalkRecordsAsync(did, state?.Collections ?? [], cancellationToken).ConfigureAwait(false);
        }

        return await Records.GetEntriesAsync(keys, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    // One listing per collection length in segments, not per collection: `p.*.*.*.*.did.*` selects the DID's records in
    // every four-segment collection (most of them: app.bsky.feed.post, ...) in one pass. nats-server 2.9 answers a
    // wildcard listing by walking every subject of the stream, however few match: GetEntriesAsync walks them once, where
    // a listing consumer walks them about three times (docs/pipeline.md, "The record index").
    private async Task<List<NatsKvEntry>> WalkRecordsAsync(string did, IReadOnlyList<string> collections, CancellationToken cancellationToken)
    {
        var found = new List<NatsKvEntry>();
        var partition = Partitioner.PartitionOf(did);
        var escapedDid = KeyTokenEscaping.Escape(did);
        var segmentCounts = SegmentCounts(collections);
        for (var segments = 1; segments < 64; segments++)
        {
            if ((segmentCounts & (1UL << segments)) != 0)
            {
                var filter = string.Create(CultureInfo.InvariantCulture, $"{partition}.{string.Join('.', Enumerable.Repeat("*", segments))}.{escapedDid}.*");
                found.AddRange(await Records.GetEntriesAsync(filter, cancellationToken: cancellationToken).ConfigureAwait(false));
            }
        }

        return found;
    }

    // The segment counts of the collections, one bit each (bit n: n segments; 63 and more share the last bit).
    private static ulong SegmentCounts(IEnumerable<string> collections)
    {
        var counts = 0UL;
        foreach (var collection in collections)
        {
            counts |= SegmentBit(collection);
        }

        return counts;
    }

    private static ulong SegmentBit(string collection) => 1UL << Math.Min(63, collection.AsSpan().Count('.') + 1);
}
