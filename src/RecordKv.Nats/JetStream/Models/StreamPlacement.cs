namespace RecordKv.Nats.JetStream;

/// <summary>Where a stream's replicas go: a cluster and/or server tags.</summary>
public sealed record StreamPlacement
{
    /// <summary>The cluster name.</summary>
    public string? Cluster { get; init; }

    /// <summary>Tags the chosen servers must carry.</summary>
    public IReadOnlyList<string>? Tags { get; init; }
}
