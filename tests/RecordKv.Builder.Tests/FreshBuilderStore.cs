using Microsoft.Extensions.Logging.Abstractions;
using RecordKv.Contracts;
using RecordKv.Coordination;
using RecordKv.Nats;
using RecordKv.Nats.JetStream;
using RecordKv.Nats.KeyValue;

namespace RecordKv.Builder.Tests;

/// <summary>A builder store over record, repo and identity buckets and a record index stream of its own (4 partitions), so tests never share state.</summary>
internal static class FreshBuilderStore
{
    public const int Partitions = 4;

    public static async Task<BuilderStore> OpenAsync(NatsConnection connection, CancellationToken token, int indexCompactAfter = 1024, int chunkBytes = 256 * 1024)
    {
        var kv = new NatsKvContext(new NatsJetStreamContext(connection));
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var records = await kv.CreateBucketAsync(new NatsKvConfig { Bucket = "record_" + suffix }, token);
        var repos = await kv.CreateBucketAsync(new NatsKvConfig { Bucket = "repo_" + suffix }, token);
        var identities = await kv.CreateBucketAsync(new NatsKvConfig { Bucket = "identity_" + suffix }, token);
        var names = new StoreNames { RecordIndexStream = "RECORD_INDEX_" + suffix, RecordIndexSubjectPrefix = "recidx_" + suffix };
        var jetStream = new NatsJetStreamContext(connection);
        await RecordKvStore.EnsureRecordIndexStreamAsync(jetStream, new RecordKvStoreOptions { Names = names }, NullLogger.Instance, token);
        var index = new RecordIndex(jetStream, names.RecordIndexStream, names.RecordIndexSubjectPrefix, chunkBytes);
        return new BuilderStore(records, repos, identities, index, new DidPartitioner(Partitions), indexCompactAfter: indexCompactAfter);
    }
}
