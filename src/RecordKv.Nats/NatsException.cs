namespace RecordKv.Nats;

/// <summary>The base of every error the NATS client raises.</summary>
public class NatsException : Exception
{
    /// <summary>Creates an exception with a message.</summary>
    public NatsException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the error that caused it.</summary>
    public NatsException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
