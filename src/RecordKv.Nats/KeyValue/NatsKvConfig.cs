using RecordKv.Nats.JetStream;

namespace RecordKv.Nats.KeyValue;

/// <summary>A bucket's configuration (ADR-8); it maps onto the stream <c>KV_&lt;bucket&gt;</c>.</summary>
public sealed record NatsKvConfig
{
    /// <summary>The bucket name: <c>[A-Za-z0-9_-]+</c>.</summary>
    public required string Bucket { get; init; }

    /// <summary>A free-text description.</summary>
    public string? Description { get; init; }

    /// <summary>How many revisions are kept per key (1–64); default 1.</summary>
    public int History { get; init; } = 1;

    /// <summary>How long an entry lives; zero (default) is forever.</summary>
    public TimeSpan MaxAge { get; init; }

    /// <summary>The largest value accepted; -1 (default) is the server's max payload.</summary>
    public int MaxValueSize { get; init; } = -1;

    /// <summary>How many bytes the bucket holds; -1 (default) is unlimited.</summary>
    public long MaxBytes { get; init; } = -1;

    /// <summary>The replica count; default 1.</summary>
    public int Replicas { get; init; } = 1;

    /// <summary>File (default) or memory storage.</summary>
    public StreamStorageType Storage { get; init; } = StreamStorageType.File;

    /// <summary>Whether gets are answered by any replica (direct get); default true.</summary>
    public bool AllowDirect { get; init; } = true;

    /// <summary>Where the replicas are placed.</summary>
    public StreamPlacement? Placement { get; init; }

    /// <summary>The maximum history ADR-8 allows.</summary>
    public const int MaxHistory = 64;

    internal StreamConfig ToStreamConfig()
    {
        var duplicateWindow = MaxAge > TimeSpan.Zero && MaxAge < TimeSpan.FromMinutes(2) ? MaxAge : TimeSpan.FromMinutes(2);
        return new StreamConfig
        {
            Name = NatsKvStore.StreamPrefix + Bucket,
            Description = Description,
            Subjects = [NatsKvStore.SubjectPrefix + Bucket + ".>"],
            Retention = StreamRetentionPolicy.Limits,
            MaxMsgsPerSubject = History,
            MaxBytes = MaxBytes,
            MaxAge = MaxAge,
            MaxMsgSize = MaxValueSize,
            Storage = Storage,
            NumReplicas = Replicas,
            AllowRollupHdrs = true,
            DenyDelete = true,
            AllowDirect = AllowDirect,
            Discard = StreamDiscardPolicy.New,
            DuplicateWindow = duplicateWindow,
            Placement = Placement,
        };
    }
}
