namespace RecordKv.Nats;

/// <summary>The server sent input that breaks the NATS client protocol (malformed, oversized or truncated).</summary>
public sealed class NatsProtocolException : NatsException
{
    /// <summary>Creates an exception with a message.</summary>
    public NatsProtocolException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the error that caused it.</summary>
    public NatsProtocolException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
