namespace RecordKv.Nats.JetStream;

/// <summary>A stream's configuration and state as the server reports them.</summary>
public sealed record StreamInfo
{
    /// <summary>The configuration in force (with the server's defaults filled in).</summary>
    public required StreamConfig Config { get; init; }

    /// <summary>When the stream was created.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>Message counts and sequences.</summary>
    public required StreamState State { get; init; }

    /// <summary>The replicas and their leader, in a cluster.</summary>
    public ClusterInfo? Cluster { get; init; }
}
