namespace RecordKv.LikeIndexer;

/// <summary>The like indexer's settings (section <c>LikeIndexer</c>).</summary>
public sealed record LikeIndexerOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "LikeIndexer";

    /// <summary>The consumer group name (default <c>like-indexer</c>); <c>recordkv rebuild like-indexer</c> deletes its consumers.</summary>
    public string ConsumerName { get; init; } = "like-indexer";

    /// <summary>The index bucket (default <c>like-index</c>).</summary>
    public string Bucket { get; init; } = LikeIndexKeys.DefaultBucket;

    /// <summary>Share partitions with other like indexer processes (default on).</summary>
    public bool SharePartitions { get; init; } = true;
}
