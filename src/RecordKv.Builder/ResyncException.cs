namespace RecordKv.Builder;

/// <summary>A repository could not be resynchronized: not found, wrong DID, or its signature does not verify.</summary>
public sealed class ResyncException : Exception
{
    public ResyncException()
    {
    }

    public ResyncException(string message)
        : base(message)
    {
    }

    public ResyncException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ResyncException(string message, bool repositoryUnavailable)
        : base(message)
    {
        RepositoryUnavailable = repositoryUnavailable;
    }

    /// <summary>Whether the PDS does not serve the repository (not found or inactive) rather than serving a bad one.</summary>
    public bool RepositoryUnavailable { get; }
}
