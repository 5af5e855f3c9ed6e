namespace RecordKv.Atproto.Identity;

/// <summary>Thrown when a DID document is malformed or its atproto entries (signing key, PDS service) are unusable.</summary>
public sealed class DidDocumentException : Exception
{
    /// <summary>Creates the exception with a message naming what is wrong.</summary>
    public DidDocumentException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message naming what is wrong and the error underneath.</summary>
    public DidDocumentException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public DidDocumentException()
        : base("Malformed DID document.")
    {
    }
}
