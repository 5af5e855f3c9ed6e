namespace RecordKv.Nats.KeyValue;

/// <summary>What a watch delivers.</summary>
public sealed record NatsKvWatchOptions
{
    /// <summary>Every stored revision first, not only the latest per key.</summary>
    public bool IncludeHistory { get; init; }

    /// <summary>Only changes made after the watch starts (the initial-data marker comes at once).</summary>
    public bool UpdatesOnly { get; init; }

    /// <summary>Skips delete and purge markers.</summary>
    public bool IgnoreDeletes { get; init; }

    /// <summary>Delivers headers only (values are empty).</summary>
    public bool MetaOnly { get; init; }
}
