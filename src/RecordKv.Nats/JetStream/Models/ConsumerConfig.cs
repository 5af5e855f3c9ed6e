namespace RecordKv.Nats.JetStream;

/// <summary>A consumer's configuration as the JetStream API takes it; nulls are omitted so the server applies its defaults.</summary>
public sealed record ConsumerConfig
{
    /// <summary>The durable name: the consumer survives without subscribers until deleted.</summary>
    public string? DurableName { get; init; }

    /// <summary>The consumer's name (2.9+); for an ephemeral consumer the server picks one when null.</summary>
    public string? Name { get; init; }

    /// <summary>A free-text description.</summary>
    public string? Description { get; init; }

    /// <summary>Where the consumer starts; default all.</summary>
    public ConsumerDeliverPolicy DeliverPolicy { get; init; } = ConsumerDeliverPolicy.All;

    /// <summary>The start sequence for <see cref="ConsumerDeliverPolicy.ByStartSequence"/>.</summary>
    public ulong? OptStartSeq { get; init; }

    /// <summary>The start time for <see cref="ConsumerDeliverPolicy.ByStartTime"/>.</summary>
    public DateTimeOffset? OptStartTime { get; init; }

    /// <summary>How messages are acknowledged; default explicit.</summary>
    public ConsumerAckPolicy AckPolicy { get; init; } = ConsumerAckPolicy.Explicit;

    /// <summary>How long the server waits for an ack before redelivering; null is the server default (30 s).</summary>
    public TimeSpan? AckWait { get; init; }

    /// <summary>How many times a message is delivered at most; null or -1 is unlimited.</summary>
    public long? MaxDeliver { get; init; }

    /// <summary>Redelivery delays, one per attempt.</summary>
    public IReadOnlyList<TimeSpan>? Backoff { get; init; }

    /// <summary>Only messages on this subject (wildcards allowed); nats-server 2.9 takes one filter per consumer.</summary>
    public string? FilterSubject { get; init; }

    /// <summary>Instant or original-speed replay; default instant.</summary>
    public ConsumerReplayPolicy ReplayPolicy { get; init; } = ConsumerReplayPolicy.Instant;

    /// <summary>How many pull requests may wait at once (pull consumers).</summary>
    public long? MaxWaiting { get; init; }

    /// <summary>How many delivered messages may be unacknowledged at once.</summary>
    public long? MaxAckPending { get; init; }

    /// <summary>Whether only headers (and <c>Nats-Msg-Size</c>) are delivered.</summary>
    public bool? HeadersOnly { get; init; }

    /// <summary>The largest batch one pull request may ask for.</summary>
    public long? MaxBatch { get; init; }

    /// <summary>The longest expiry one pull request may ask for.</summary>
    public TimeSpan? MaxExpires { get; init; }

    /// <summary>The most bytes one pull request may ask for.</summary>
    public long? MaxBytes { get; init; }

    /// <summary>How long an idle consumer lives (ephemeral consumers, and durables on 2.9+).</summary>
    public TimeSpan? InactiveThreshold { get; init; }

    /// <summary>The consumer's replica count; null inherits the stream's.</summary>
    public int? NumReplicas { get; init; }

    /// <summary>Whether the consumer's state is kept in memory only.</summary>
    public bool? MemStorage { get; init; }

    /// <summary>The subject a push consumer delivers to; null makes a pull consumer.</summary>
    public string? DeliverSubject { get; init; }

    /// <summary>Flow control for push consumers.</summary>
    public bool? FlowControl { get; init; }

    /// <summary>Idle heartbeats for push consumers.</summary>
    public TimeSpan? IdleHeartbeat { get; init; }
}
