using RecordKv.Testing;

namespace RecordKv.Nats.Tests.Core;

/// <summary>The "nats" collection: its test classes share one nats-server started by <see cref="NatsServerFixture"/>.</summary>
[CollectionDefinition(NatsServerFixture.CollectionName)]
public sealed class NatsCollection : ICollectionFixture<NatsServerFixture>;
