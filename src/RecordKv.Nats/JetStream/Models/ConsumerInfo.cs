namespace RecordKv.Nats.JetStream;

/// <summary>A consumer's configuration and progress as the server reports them.</summary>
public sealed record ConsumerInfo
{
    /// <summary>The stream the consumer reads.</summary>
    public required string StreamName { get; init; }

    /// <summary>The consumer's name.</summary>
    public required string Name { get; init; }

    /// <summary>When the consumer was created.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>The configuration in force.</summary>
    public required ConsumerConfig Config { get; init; }

    /// <summary>The last delivered consumer and stream sequences.</summary>
    public SequenceInfo? Delivered { get; init; }

    /// <summary>The sequences below which everything is acknowledged.</summary>
    public SequenceInfo? AckFloor { get; init; }

    /// <summary>How many delivered messages await an ack.</summary>
    public long NumAckPending { get; init; }

    /// <summary>How many messages were redelivered.</summary>
    public long NumRedelivered { get; init; }

    /// <summary>How many pull requests are waiting.</summary>
    public long NumWaiting { get; init; }

    /// <summary>How many matching messages are not yet delivered.</summary>
    public ulong NumPending { get; init; }

    /// <summary>The replicas and their leader, in a cluster.</summary>
    public ClusterInfo? Cluster { get; init; }
}
