using RecordKv.Contracts;

namespace RecordKv.Coordination;

/// <summary>What a service binds to at start-up: names, partition count and the firehose stream's limits (configuration section <c>RecordKv</c>).</summary>
public sealed record RecordKvStoreOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "RecordKv";

    /// <summary>Bucket and stream names (section <c>RecordKv:Names</c>); defaults are the design's.</summary>
    public StoreNames Names { get; init; } = new();

    /// <summary>The number of DID partitions; fixed when the store is first created (the <c>config</c> key): 16.</summary>
    public int Partitions { get; init; } = DidPartitioner.DefaultPartitionCount;

    /// <summary>How long the firehose stream keeps frames: 72 h.</summary>
    public TimeSpan FirehoseMaxAge { get; init; } = TimeSpan.FromHours(72);

    /// <summary>Byte limit of the firehose stream (-1: none, only the age limit).</summary>
    public long FirehoseMaxBytes { get; init; } = -1;

    /// <summary>The largest firehose message the stream accepts: the spec's largest frame (5 MiB) plus room for headers.</summary>
    public int FirehoseMaxMessageBytes { get; init; } = (5 * 1024 * 1024) + 4096;

    /// <summary>How long JetStream remembers <c>Nats-Msg-Id</c>s to drop republished frames: 5 min.</summary>
    public TimeSpan FirehoseDuplicateWindow { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long the BACKFILL stream remembers a job's <c>Nats-Msg-Id</c> (run and DID) to drop it when enqueued again: 1 h.</summary>
    public TimeSpan BackfillDuplicateWindow { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Stream and bucket replicas (1 on a single server, 3 on a cluster).</summary>
    public int Replicas { get; init; } = 1;

    /// <summary>Throws when the options cannot work.</summary>
    public void Validate()
    {
        if (Partitions is < 1 or > DidPartitioner.MaxPartitionCount)
        {
            throw new RecordKvStoreException($"RecordKv:Partitions must be 1 to {DidPartitioner.MaxPartitionCount}, not {Partitions}.");
        }

        if (FirehoseMaxMessageBytes < 1 || Replicas < 1 || FirehoseMaxAge < TimeSpan.Zero || FirehoseDuplicateWindow <= TimeSpan.Zero || BackfillDuplicateWindow <= TimeSpan.Zero)
        {
            throw new RecordKvStoreException("RecordKv stream limits must be positive (FirehoseMaxMessageBytes, Replicas, FirehoseMaxAge, FirehoseDuplicateWindow, BackfillDuplicateWindow).");
        }
    }
}
