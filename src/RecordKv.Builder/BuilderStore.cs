using System.Buffers;
using System.Globalization;
using System.Text.Json;
using RecordKv.Atproto.Cbor;
using RecordKv.Atproto.Cids;
using RecordKv.Contracts;
using RecordKv.Nats;
using RecordKv.Nats.JetStream;
using RecordKv.Nats.KeyValue;

namespace RecordKv.Builder;

/// <summary>
/// The builder's view of the buckets: records (written through the asynchronous <see cref="RecordWriter"/>), repo
/// states (cached per partition this builder consumes: the DID's lane is the only writer while the partition is
/// held, so the cache is the stored value) and identities.
/// </summary>
internal sealed class BuilderStore
{
    private readonly RecordStoreKeys _keys;
    private readonly RecordWriter? _writer;
    private readonly BoundedLruCache<string, RepoTrack>?[] _tracks;
    private readonly int _trackCapacity;

    public BuilderStore(NatsKvStore records, NatsKvStore repos, NatsKvStore identities, DidPartitioner partitioner, RecordWriter? writer = null, int repoStateCacheSize = 100_000)
    {
        Records = records;
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
    /// Lists the record keys the store holds for a DID in the given collections (the repo state's are enough: every
    /// writer records a collection in the repo state with its first record there, and a writer that crashed before
    /// its state gets the same event redelivered). The DID's partition is never scanned: that would cost every
    /// repository seen for the first time a listing that grows with the whole store.
    /// </summary>
    public async Task<List<(string Key, RecordId Id)>> ListRecordsAsync(string did, IReadOnlyList<string> collections, CancellationToken cancellationToken)
    {
        var found = new List<(string, RecordId)>();
        if (collections.Count == 0)
        {
            return found;
        }

        // One listing per collection length in tokens, not per collection: `p.*.*.*.*.did.*` selects the DID's records
        // in every four-token collection (most of them: app.bsky.feed.post, ...) in one ordered consumer, and keys of
        // collections not asked for are dropped here. Each listing costs the server a consumer.
        var partition = Partitioner.PartitionOf(did);
        var escapedDid = KeyTokenEscaping.Escape(did);
        var tokenCounts = 0UL;
        foreach (var collection in collections)
        {
            tokenCounts |= 1UL << Math.Min(63, TokenCount(collection));
        }

        for (var tokens = 1; tokens < 64; tokens++)
        {
            if ((tokenCounts & (1UL << tokens)) == 0)
            {
                continue;
            }

            var filter = string.Create(CultureInfo.InvariantCulture, $"{partition}.{string.Join('.', Enumerable.Repeat("*", tokens))}.{escapedDid}.*");
            await foreach (var key in Records.GetKeysAsync(filter, cancellationToken).ConfigureAwait(false))
            {
                var id = RecordStoreKeys.ParseKey(key, out _);
                if (Contains(collections, id.Collection))
                {
                    found.Add((key, id));
                }
            }
        }

        return found;
    }

    private static int TokenCount(string collection)
    {
        var tokens = 1;
        foreach (var c in collection)
        {
            if (c == '.')
            {
                tokens++;
            }
        }

        return tokens;
    }

    private static bool Contains(IReadOnlyList<string> collections, string collection)
    {
        foreach (var candidate in collections)
        {
            if (string.Equals(candidate, collection, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
