using RecordKv.Contracts;
using RecordKv.Nats;
using RecordKv.Nats.JetStream;
using RecordKv.Nats.KeyValue;

namespace RecordKv.Builder.Tests;

/// <summary>A builder store over record, repo and identity buckets of its own (4 partitions), so tests never share state.</summary>
internal static class FreshBuilderStore
{
    public const int Partitions = 4;

    public static async Task<BuilderStore> OpenAsync(NatsConnection connection, CancellationToken token)
    {
        var kv = new NatsKvContext(new NatsJetStreamContext(connection));
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var records = await kv.CreateBucketAsync(new NatsKvConfig { Bucket = "record_" + suffix }, token);
        var repos = await kv.CreateBucketAsync(new NatsKvConfig { Bucket = "repo_" + suffix }, token);
        var identities = await kv.CreateBucketAsync(new NatsKvConfig { Bucket = "identity_" + suffix }, token);
        return new BuilderStore(records, repos, identities, new DidPartitioner(Partitions));
    }
}
