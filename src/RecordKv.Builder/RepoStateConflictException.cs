namespace RecordKv.Builder;

/// <summary>
/// A repo state write lost its compare-and-set: the DID's state changed since this builder read it, so another writer
/// (a builder that took the partition over, or a backfill job) got there first and this builder's view of the DID is stale.
/// </summary>
public sealed class RepoStateConflictException : Exception
{
    public RepoStateConflictException()
    {
    }

    public RepoStateConflictException(string message)
        : base(message)
    {
    }

    public RepoStateConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RepoStateConflictException(string did, ulong expectedRevision, Exception innerException)
        : base($"The repo state of {did} is no longer at revision {expectedRevision}: another writer changed it", innerException)
    {
        Did = did;
        ExpectedRevision = expectedRevision;
    }

    /// <summary>The repository whose state changed under the writer.</summary>
    public string Did { get; } = "";

    /// <summary>The revision the writer read and expected to replace (0: it expected no state).</summary>
    public ulong ExpectedRevision { get; }
}
