namespace RecordKv.Nats.JetStream;

/// <summary>Options of an ordered consumer (watchers, inspection tools).</summary>
public sealed record NatsOrderedConsumerOptions
{
    /// <summary>Only messages on this subject (wildcards allowed).</summary>
    public string? FilterSubject { get; init; }

    /// <summary>Where to start; default all.</summary>
    public ConsumerDeliverPolicy DeliverPolicy { get; init; } = ConsumerDeliverPolicy.All;

    /// <summary>The start sequence for <see cref="ConsumerDeliverPolicy.ByStartSequence"/>.</summary>
    public ulong? OptStartSeq { get; init; }

    /// <summary>The start time for <see cref="ConsumerDeliverPolicy.ByStartTime"/>.</summary>
    public DateTimeOffset? OptStartTime { get; init; }

    /// <summary>Whether only headers are delivered.</summary>
    public bool HeadersOnly { get; init; }

    /// <summary>How long the server keeps the consumer without pulls; default 5 minutes.</summary>
    public TimeSpan InactiveThreshold { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How many messages to keep requested; default 256.</summary>
    public int MaxMessages { get; init; } = 256;

    /// <summary>How long each pull lives; default 30 s.</summary>
    public TimeSpan Expires { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Server heartbeat while idle; two missed ones recreate the consumer. Default 5 s.</summary>
    public TimeSpan IdleHeartbeat { get; init; } = TimeSpan.FromSeconds(5);
}
