namespace RecordKv.Nats.JetStream;

/// <summary>Options of a continuous pull consume: how much to keep requested and how to detect a lost server.</summary>
public sealed record NatsJetStreamConsumeOptions
{
    /// <summary>How many messages to keep requested (the buffer); default 500.</summary>
    public int MaxMessages { get; init; } = 500;

    /// <summary>Caps each pull request's bytes too, when set.</summary>
    public long? MaxBytes { get; init; }

    /// <summary>When outstanding requested messages drop to this, more are requested; default half of <see cref="MaxMessages"/>.</summary>
    public int? ThresholdMessages { get; init; }

    /// <summary>How long each pull request lives on the server; default 30 s.</summary>
    public TimeSpan Expires { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often an idle server sends a heartbeat; default half of <see cref="Expires"/>, at most 30 s. Two missed heartbeats re-issue the pulls.</summary>
    public TimeSpan? IdleHeartbeat { get; init; }

    internal TimeSpan EffectiveHeartbeat =>
        IdleHeartbeat ?? TimeSpan.FromTicks(Math.Min(Expires.Ticks / 2, TimeSpan.TicksPerSecond * 30));

    internal int EffectiveThreshold => Math.Clamp(ThresholdMessages ?? MaxMessages / 2, 0, MaxMessages - 1);
}
