namespace RecordKv.Atproto.Repo;

/// <summary>Limits applied while loading a repository CAR export.</summary>
public sealed record RepositoryLoadOptions
{
    /// <summary>The default limits.</summary>
    public static RepositoryLoadOptions Default { get; } = new();

    /// <summary>Largest single block accepted (default 2 MiB, above the 1 MB record limit).</summary>
    public int MaxBlockBytes { get; init; } = 2 * 1024 * 1024;

    /// <summary>Most blocks accepted in one export (default 10 million).</summary>
    public int MaxBlocks { get; init; } = 10_000_000;

    /// <summary>Most bytes of blocks accepted in one export (default 4 GiB).</summary>
    public long MaxTotalBytes { get; init; } = 4L * 1024 * 1024 * 1024;
}
