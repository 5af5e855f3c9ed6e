namespace RecordKv.Atproto.Car;

/// <summary>Thrown when a CAR file is malformed, exceeds a configured cap, or holds a block that does not hash to its CID; carries the byte offset.</summary>
public sealed class CarFormatException : FormatException
{
    /// <summary>Creates the exception for a problem at <paramref name="offset"/> bytes from the start of the CAR.</summary>
    public CarFormatException(string message, long offset)
        : base($"{message} (at CAR byte offset {offset})")
    {
        Offset = offset;
        Reason = message;
    }

    /// <summary>Creates the exception for a problem at <paramref name="offset"/>, caused by <paramref name="innerException"/>.</summary>
    public CarFormatException(string message, long offset, Exception innerException)
        : base($"{message} (at CAR byte offset {offset})", innerException)
    {
        Offset = offset;
        Reason = message;
    }

    /// <summary>Creates the exception with a message and no known offset.</summary>
    public CarFormatException(string message)
        : this(message, -1)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it; no known offset.</summary>
    public CarFormatException(string message, Exception innerException)
        : this(message, -1, innerException)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public CarFormatException()
        : this("Malformed CAR file.")
    {
    }

    /// <summary>The offset, from the start of the CAR, of the section or byte where the problem is (-1 if unknown).</summary>
    public long Offset { get; }

    /// <summary>What is wrong, without the offset.</summary>
    public string Reason { get; }
}
