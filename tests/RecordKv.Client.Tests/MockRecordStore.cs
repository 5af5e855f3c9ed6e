using System.Text;
using RecordKv.Contracts;
using RecordKv.Nats;
using RecordKv.Nats.JetStream;
using RecordKv.Nats.KeyValue;

namespace RecordKv.Client.Tests;

/// <summary>A record store written directly (no builder): uniquely named record and control buckets with mock records.</summary>
internal sealed class MockRecordStore : IAsyncDisposable
{
    private MockRecordStore(NatsConnection connection, NatsKvStore records, NatsKvStore control, RecordStoreKeys keys, RecordKvClientOptions options)
    {
        Connection = connection;
        Records = records;
        Control = control;
        Keys = keys;
        Options = options;
    }

    public NatsConnection Connection { get; }

    public NatsKvStore Records { get; }

    public NatsKvStore Control { get; }

    public RecordStoreKeys Keys { get; }

    public RecordKvClientOptions Options { get; }

    public static async Task<MockRecordStore> CreateAsync(string url, int partitions, CancellationToken cancellationToken)
    {
        var connection = await NatsConnection.ConnectAsync(new NatsOptions { Servers = [url] }, cancellationToken);
        var kv = new NatsKvContext(new NatsJetStreamContext(connection));
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var records = await kv.CreateBucketAsync(new NatsKvConfig { Bucket = "record" + suffix }, cancellationToken);
        var control = await kv.CreateBucketAsync(new NatsKvConfig { Bucket = "control" + suffix }, cancellationToken);
        await control.PutAsync(ControlKeys.Config, Encoding.UTF8.GetBytes($"{{\"partitions\":{partitions}}}"), cancellationToken: cancellationToken);
        var options = new RecordKvClientOptions
        {
            Servers = [url],
            RecordBucket = records.Bucket,
            ControlBucket = control.Bucket,
            LeaseTtl = TimeSpan.FromSeconds(2),
            LeaseRenewInterval = TimeSpan.FromMilliseconds(300),
            AckWait = TimeSpan.FromSeconds(2),
        };
        return new MockRecordStore(connection, records, control, new RecordStoreKeys(new DidPartitioner(partitions)), options);
    }

    public static RecordId Like(int actor, int n) => new($"did:plc:actor{actor:D4}", "app.bsky.feed.like", $"3like{n:D6}");

    public static RecordId Post(int actor, int n) => new($"did:plc:actor{actor:D4}", "app.bsky.feed.post", $"3post{n:D6}");

    public Task<ulong> PutAsync(RecordId id, string json, CancellationToken cancellationToken)
    {
        var headers = new NatsHeaders();
        headers.Add(AtprotoHeaders.Cid, "bafyrei" + id.RecordKey);
        headers.Add(AtprotoHeaders.Rev, "3rev0001");
        return Records.PutAsync(Keys.KeyFor(id), Encoding.UTF8.GetBytes(json), headers, cancellationToken);
    }

    public Task<ulong> PutLikeAsync(RecordId like, RecordId post, CancellationToken cancellationToken) =>
        PutAsync(like, $"{{\"$type\":\"app.bsky.feed.like\",\"subject\":{{\"uri\":\"{post.ToAtUri()}\",\"cid\":\"bafyreipost\"}},\"createdAt\":\"2024-01-01T00:00:00.000Z\"}}", cancellationToken);

    public Task<ulong> DeleteAsync(RecordId id, CancellationToken cancellationToken) => Records.DeleteAsync(Keys.KeyFor(id), cancellationToken: cancellationToken);

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}
