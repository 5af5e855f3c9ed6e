using RecordKv.Nats;
using RecordKv.Nats.JetStream;
using RecordKv.Nats.KeyValue;

namespace RecordKv.Coordination.Tests;

/// <summary>Connections and unique buckets for the coordination tests.</summary>
internal static class CoordinationTestSupport
{
    public static readonly KvLeaseOptions FastLease = new() { Ttl = TimeSpan.FromMilliseconds(1500), RenewInterval = TimeSpan.FromMilliseconds(250) };

    public static string UniqueName(string prefix) => prefix + "_" + Guid.NewGuid().ToString("N")[..12];

    public static Task<NatsConnection> ConnectAsync(string url, CancellationToken cancellationToken) =>
        NatsConnection.ConnectAsync(new NatsOptions { Servers = [url] }, cancellationToken);

    public static async Task<(NatsConnection Connection, NatsKvStore Bucket)> OpenBucketAsync(string url, CancellationToken cancellationToken)
    {
        var connection = await ConnectAsync(url, cancellationToken);
        var kv = new NatsKvContext(new NatsJetStreamContext(connection));
        var bucket = await kv.CreateBucketAsync(new NatsKvConfig { Bucket = UniqueName("ctl") }, cancellationToken);
        return (connection, bucket);
    }
}
