using RecordKv.Testing;

namespace RecordKv.Coordination.Tests;

/// <summary>One nats-server for the coordination tests.</summary>
[CollectionDefinition(Name)]
public sealed class CoordinationCollection : ICollectionFixture<NatsServerFixture>
{
    public const string Name = "coordination";
}
