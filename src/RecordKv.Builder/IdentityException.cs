namespace RecordKv.Builder;

/// <summary>A DID could not be resolved to a usable DID document.</summary>
public sealed class IdentityException : Exception
{
    public IdentityException(string did, string message, Exception? innerException = null)
        : base($"{did}: {message}", innerException)
    {
        Did = did;
    }

    public IdentityException()
    {
    }

    public IdentityException(string message)
        : base(message)
    {
    }

    public IdentityException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The DID that did not resolve.</summary>
    public string? Did { get; }
}
