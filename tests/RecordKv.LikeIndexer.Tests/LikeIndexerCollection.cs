using RecordKv.Testing;

namespace RecordKv.LikeIndexer.Tests;

/// <summary>One nats-server for the like indexer tests.</summary>
[CollectionDefinition(Name)]
public sealed class LikeIndexerCollection : ICollectionFixture<NatsServerFixture>
{
    public const string Name = "like-indexer";
}
