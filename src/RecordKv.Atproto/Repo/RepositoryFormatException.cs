namespace RecordKv.Atproto.Repo;

/// <summary>A repository, commit or CAR export that does not follow the atproto repository format.</summary>
public sealed class RepositoryFormatException : FormatException
{
    /// <summary>Creates the exception with a message naming what is wrong.</summary>
    public RepositoryFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public RepositoryFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
