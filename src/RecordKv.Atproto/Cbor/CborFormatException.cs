namespace RecordKv.Atproto.Cbor;

/// <summary>Thrown when bytes are not strict DAG-CBOR, or not the DAG-CBOR value the caller asked for; carries the byte offset of the problem.</summary>
public sealed class CborFormatException : FormatException
{
    /// <summary>Creates the exception for a problem at <paramref name="offset"/>; the message ends with the offset.</summary>
    public CborFormatException(string message, long offset)
        : base($"{message} (at byte offset {offset})")
    {
        Offset = offset;
        Reason = message;
    }

    /// <summary>Creates the exception with a message and no known offset.</summary>
    public CborFormatException(string message)
        : this(message, -1)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it; no known offset.</summary>
    public CborFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Offset = -1;
        Reason = message;
    }

    /// <summary>Creates the exception with a default message.</summary>
    public CborFormatException()
        : this("Malformed DAG-CBOR.")
    {
    }

    /// <summary>The offset, from the start of the input, of the byte where the problem is (-1 if unknown).</summary>
    public long Offset { get; }

    /// <summary>What is wrong, without the offset.</summary>
    public string Reason { get; }
}
