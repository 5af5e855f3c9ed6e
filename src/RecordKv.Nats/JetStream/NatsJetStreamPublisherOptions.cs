namespace RecordKv.Nats.JetStream;

/// <summary>Options of a <see cref="NatsJetStreamPublisher"/>.</summary>
public sealed record NatsJetStreamPublisherOptions
{
    /// <summary>How many publishes may be unacknowledged or unread at once; a publish beyond that waits (backpressure). Default 1024.</summary>
    public int MaxInFlight { get; init; } = 1024;

    /// <summary>How long a publish waits for its PubAck before it is reported as a <see cref="NatsJetStreamPublishTimeoutException"/>; default 5 s.</summary>
    public TimeSpan AckTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
