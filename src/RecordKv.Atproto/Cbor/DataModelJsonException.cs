namespace RecordKv.Atproto.Cbor;

/// <summary>Thrown when JSON is not a valid atproto data-model value (a float, a malformed <c>$link</c>, <c>$bytes</c> or blob…); carries the JSON path.</summary>
public sealed class DataModelJsonException : FormatException
{
    /// <summary>Creates the exception for a problem at JSON path <paramref name="path"/>.</summary>
    public DataModelJsonException(string message, string path)
        : base($"{message} (at {path})")
    {
        Path = path;
    }

    /// <summary>Creates the exception with a message and no known path.</summary>
    public DataModelJsonException(string message)
        : this(message, "$")
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public DataModelJsonException(string message, Exception innerException)
        : base(message, innerException)
    {
        Path = "$";
    }

    /// <summary>Creates the exception with a default message.</summary>
    public DataModelJsonException()
        : this("Invalid atproto data-model JSON.")
    {
    }

    /// <summary>The JSON path of the offending value, e.g. <c>$.embed.images[0].image.size</c>.</summary>
    public string Path { get; }
}
