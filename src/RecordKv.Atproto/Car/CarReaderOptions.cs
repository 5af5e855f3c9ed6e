namespace RecordKv.Atproto.Car;

/// <summary>Caps a CAR reader checks before it allocates anything for a header or block.</summary>
public sealed record CarReaderOptions
{
    /// <summary>The options used when none are given.</summary>
    public static CarReaderOptions Default { get; } = new();

    /// <summary>The largest block accepted, in bytes (default 2 MiB, above atproto's 1 MiB record limit).</summary>
    public int MaxBlockSize
    {
        get;
        init => field = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxBlockSize), value, "Must be positive.");
    } = 2 * 1024 * 1024;

    /// <summary>The largest header accepted, in bytes (default 64 KiB; a header with one root is about 60 bytes).</summary>
    public int MaxHeaderSize
    {
        get;
        init => field = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxHeaderSize), value, "Must be positive.");
    } = 64 * 1024;

    /// <summary>The most blocks one CAR may hold (default 10 million, enough for the largest repositories).</summary>
    public long MaxBlockCount
    {
        get;
        init => field = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxBlockCount), value, "Must be positive.");
    } = 10_000_000;
}
