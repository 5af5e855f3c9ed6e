namespace RecordKv.Atproto.Cids;

/// <summary>Thrown when a CID in text or binary form is malformed or uses a version, codec or hash atproto does not allow.</summary>
public sealed class CidFormatException : FormatException
{
    /// <summary>Creates the exception with a message saying what is wrong.</summary>
    public CidFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public CidFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public CidFormatException()
        : base("Malformed CID.")
    {
    }
}
