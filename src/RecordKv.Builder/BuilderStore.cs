using System.Buffers;
using System.Text.Json;
using RecordKv.Atproto.Cbor;
using RecordKv.Atproto.Cids;
using RecordKv.Contracts;
using RecordKv.Nats;
using RecordKv.Nats.KeyValue;

namespace RecordKv.Builder;

/// <summary>The builder's view of the buckets: records, repo states and identities.</summary>
internal sealed class BuilderStore
{
    private readonly RecordStoreKeys _keys;

    public BuilderStore(NatsKvStore records, NatsKvStore repos, NatsKvStore identities, DidPartitioner partitioner)
    {
        Records = records;
        Repos = repos;
        Identities = identities;
        Partitioner = partitioner;
        _keys = new RecordStoreKeys(partitioner);
    }

    public NatsKvStore Records { get; }

    public NatsKvStore Repos { get; }

    public NatsKvStore Identities { get; }

    public DidPartitioner Partitioner { get; }

    public string RecordKey(string did, string collection, string recordKey) => _keys.KeyFor(new RecordId(did, collection, recordKey));

    public async Task<RepoState?> GetRepoStateAsync(string did, CancellationToken cancellationToken)
    {
        var entry = await Repos.GetAsync(RecordStoreKeys.RepoKeyFor(did), cancellationToken).ConfigureAwait(false);
        if (entry is null || entry.Operation != NatsKvOperation.Put || entry.Value.IsEmpty)
        {
            return null;
        }

        return JsonSerializer.Deserialize(entry.Value.Span, BuilderJsonContext.Default.RepoState);
    }

    public Task PutRepoStateAsync(string did, RepoState state, CancellationToken cancellationToken) =>
        Repos.PutAsync(RecordStoreKeys.RepoKeyFor(did), JsonSerializer.SerializeToUtf8Bytes(state, BuilderJsonContext.Default.RepoState), cancellationToken: cancellationToken);

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
    /// Lists the record keys the store holds for a DID: by exact filters per known collection when the repo state
    /// names them, else by scanning the DID's partition.
    /// </summary>
    public async Task<List<(string Key, RecordId Id)>> ListRecordsAsync(string did, IReadOnlyList<string>? collections, CancellationToken cancellationToken)
    {
        var partition = Partitioner.PartitionOf(did);
        var escapedDid = KeyTokenEscaping.Escape(did);
        var found = new List<(string, RecordId)>();
        if (collections is { Count: > 0 })
        {
            foreach (var collection in collections)
            {
                var filter = $"{partition}.{collection}.{escapedDid}.*";
                await foreach (var key in Records.GetKeysAsync(filter, cancellationToken).ConfigureAwait(false))
                {
                    found.Add((key, RecordStoreKeys.ParseKey(key, out _)));
                }
            }

            return found;
        }

        await foreach (var key in Records.GetKeysAsync($"{partition}.>", cancellationToken).ConfigureAwait(false))
        {
            var id = RecordStoreKeys.ParseKey(key, out _);
            if (id.Did == did)
            {
                found.Add((key, id));
            }
        }

        return found;
    }
}
