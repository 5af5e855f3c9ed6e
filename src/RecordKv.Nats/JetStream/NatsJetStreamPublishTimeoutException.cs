namespace RecordKv.Nats.JetStream;

/// <summary>No PubAck arrived in time: the message may or may not be stored; republish with the same <c>Nats-Msg-Id</c> to be safe.</summary>
public sealed class NatsJetStreamPublishTimeoutException : NatsJetStreamException
{
    /// <summary>Creates the exception for a subject and the time waited.</summary>
    public NatsJetStreamPublishTimeoutException(string subject, TimeSpan waited, Exception? innerException = null)
        : base($"No JetStream PubAck for a publish to '{subject}' within {waited.TotalMilliseconds:0} ms.", innerException: innerException)
    {
        Subject = subject;
    }

    /// <summary>The subject that was published to.</summary>
    public string Subject { get; }
}
