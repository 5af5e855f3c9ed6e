namespace RecordKv.Nats.JetStream;

/// <summary>The Raft group behind a clustered stream or consumer.</summary>
public sealed record ClusterInfo
{
    /// <summary>The cluster's name.</summary>
    public string? Name { get; init; }

    /// <summary>The server that leads the group.</summary>
    public string? Leader { get; init; }

    /// <summary>The other replicas.</summary>
    public IReadOnlyList<PeerInfo>? Replicas { get; init; }
}
