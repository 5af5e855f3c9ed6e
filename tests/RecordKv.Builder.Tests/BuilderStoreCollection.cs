using RecordKv.Testing;

namespace RecordKv.Builder.Tests;

/// <summary>One nats-server for the builder tests that need a store.</summary>
[CollectionDefinition(Name)]
public sealed class BuilderStoreCollection : ICollectionFixture<NatsServerFixture>
{
    public const string Name = "builder-store";
}
