using RecordKv.Testing;

namespace RecordKv.Ingester.Tests;

/// <summary>One nats-server for the ingester tests.</summary>
[CollectionDefinition(Name)]
public sealed class IngesterCollection : ICollectionFixture<NatsServerFixture>
{
    public const string Name = "ingester";
}
