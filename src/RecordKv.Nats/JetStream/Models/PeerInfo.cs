namespace RecordKv.Nats.JetStream;

/// <summary>One replica of a clustered stream or consumer.</summary>
public sealed record PeerInfo
{
    /// <summary>The server's name.</summary>
    public required string Name { get; init; }

    /// <summary>Whether the replica is up to date.</summary>
    public bool Current { get; init; }

    /// <summary>Whether the replica is unreachable.</summary>
    public bool Offline { get; init; }

    /// <summary>How long ago the replica was last heard from.</summary>
    public TimeSpan Active { get; init; }

    /// <summary>How many operations the replica is behind.</summary>
    public ulong Lag { get; init; }
}
