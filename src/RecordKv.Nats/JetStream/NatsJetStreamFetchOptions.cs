namespace RecordKv.Nats.JetStream;

/// <summary>Options of one pull request (fetch).</summary>
public sealed record NatsJetStreamFetchOptions
{
    /// <summary>The most messages to return; default 100.</summary>
    public int MaxMessages { get; init; } = 100;

    /// <summary>The most bytes to return, when set.</summary>
    public long? MaxBytes { get; init; }

    /// <summary>How long to wait for the batch to fill; default 5 s.</summary>
    public TimeSpan Expires { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Heartbeats while waiting, when set (detects a lost server before <see cref="Expires"/>).</summary>
    public TimeSpan? IdleHeartbeat { get; init; }

    /// <summary>Returns at once with what is available (the server answers 404 when nothing is).</summary>
    public bool NoWait { get; init; }
}
