using RecordKv.Testing;

namespace RecordKv.Nats.Tests.JetStream;

/// <summary>The JetStream and KV tests share one nats-server of their own, so restarts elsewhere never disturb them.</summary>
[CollectionDefinition(Name)]
public sealed class JetStreamCollection : ICollectionFixture<NatsServerFixture>
{
    /// <summary>The collection name.</summary>
    public const string Name = "nats-jetstream";
}
