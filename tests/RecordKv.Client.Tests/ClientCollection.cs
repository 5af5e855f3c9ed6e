using RecordKv.Testing;

namespace RecordKv.Client.Tests;

/// <summary>One nats-server for the client tests.</summary>
[CollectionDefinition(Name)]
public sealed class ClientCollection : ICollectionFixture<NatsServerFixture>
{
    public const string Name = "client";
}
