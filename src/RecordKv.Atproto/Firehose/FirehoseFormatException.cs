namespace RecordKv.Atproto.Firehose;

/// <summary>A firehose frame that is malformed or exceeds a size limit.</summary>
public sealed class FirehoseFormatException : FormatException
{
    /// <summary>Creates the exception with a message naming what is wrong.</summary>
    public FirehoseFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public FirehoseFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
