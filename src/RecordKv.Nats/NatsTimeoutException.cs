namespace RecordKv.Nats;

/// <summary>An operation (a request, a ping, a connect) did not complete in time.</summary>
public sealed class NatsTimeoutException : NatsException
{
    /// <summary>Creates an exception with a message.</summary>
    public NatsTimeoutException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the error that caused it.</summary>
    public NatsTimeoutException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
