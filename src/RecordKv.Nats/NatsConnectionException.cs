namespace RecordKv.Nats;

/// <summary>The connection to the server could not be made or was lost.</summary>
public sealed class NatsConnectionException : NatsException
{
    /// <summary>Creates an exception with a message.</summary>
    public NatsConnectionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the error that caused it.</summary>
    public NatsConnectionException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
