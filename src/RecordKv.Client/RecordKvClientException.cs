namespace RecordKv.Client;

/// <summary>A RecordKv consumer-library failure that names what was wrong (a missing bucket, a bad consumer name).</summary>
public sealed class RecordKvClientException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RecordKvClientException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception without a message.</summary>
    public RecordKvClientException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public RecordKvClientException(string message)
        : base(message)
    {
    }
}
