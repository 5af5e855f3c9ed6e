namespace RecordKv.Coordination;

/// <summary>The store cannot be used as configured: a partition-count mismatch, a server that cannot carry firehose frames, bad options.</summary>
public sealed class RecordKvStoreException : Exception
{
    /// <summary>Creates the exception with a message saying what is wrong and how to fix it.</summary>
    public RecordKvStoreException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
