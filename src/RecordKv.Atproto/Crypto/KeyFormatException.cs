namespace RecordKv.Atproto.Crypto;

/// <summary>Thrown when a key, <c>did:key</c> or multibase string is malformed or of an unsupported kind.</summary>
public sealed class KeyFormatException : FormatException
{
    /// <summary>Creates the exception with a message naming what is wrong.</summary>
    public KeyFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message naming what is wrong and the error underneath.</summary>
    public KeyFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public KeyFormatException()
        : base("Malformed key.")
    {
    }
}
