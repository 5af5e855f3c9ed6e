namespace RecordKv.Nats.JetStream;

/// <summary>The outcome of one asynchronous publish, reported in publish order.</summary>
/// <param name="PublishId">The id <see cref="NatsJetStreamPublisher.PublishAsync"/> returned (0, 1, 2, ... per publisher).</param>
/// <param name="Subject">The subject published to.</param>
/// <param name="Ack">The PubAck when the publish succeeded.</param>
/// <param name="Error">Why it failed: an API error, no responders (503), or <see cref="NatsJetStreamPublishTimeoutException"/>.</param>
public readonly record struct NatsJetStreamPublishResult(long PublishId, string Subject, PubAck Ack, NatsJetStreamException? Error)
{
    /// <summary>Whether the server acknowledged the message.</summary>
    public bool IsSuccess => Error is null;
}
