namespace RecordKv.Contracts;

/// <summary>The names of a deployment's stream and buckets; the defaults are the design's.</summary>
public sealed record StoreNames
{
    /// <summary>The bucket of records, keyed by <see cref="RecordStoreKeys"/>.</summary>
    public string RecordBucket { get; init; } = "record";

    /// <summary>The bucket of repository sync states, keyed by escaped DID.</summary>
    public string RepoBucket { get; init; } = "repo";

    /// <summary>The bucket of resolved identities shared by builders.</summary>
    public string IdentityBucket { get; init; } = "identity";

    /// <summary>The control bucket: <c>config</c>, cursors, leases, members.</summary>
    public string ControlBucket { get; init; } = "recordkv";

    /// <summary>The stream of raw firehose frames.</summary>
    public string FirehoseStream { get; init; } = "FIREHOSE";

    /// <summary>The subject prefix of the firehose stream: frames go to <c>firehose.&lt;p&gt;</c>.</summary>
    public string FirehoseSubjectPrefix { get; init; } = "firehose";

    /// <summary>The firehose subject of one partition.</summary>
    public string FirehoseSubject(int partition) => $"{FirehoseSubjectPrefix}.{partition}";

    /// <summary>The work-queue stream of backfill jobs (one resync per repository).</summary>
    public string BackfillStream { get; init; } = "BACKFILL";

    /// <summary>The subject prefix of the backfill stream: a job goes to <c>backfill.&lt;p&gt;</c>, p the partition of its DID.</summary>
    public string BackfillSubjectPrefix { get; init; } = "backfill";

    /// <summary>The backfill subject of one partition.</summary>
    public string BackfillSubject(int partition) => $"{BackfillSubjectPrefix}.{partition}";

    /// <summary>
    /// The stream of the record index: for each DID, the keys the record bucket holds of it, on one literal subject,
    /// so a builder lists a repository's records without walking the record bucket.
    /// </summary>
    public string RecordIndexStream { get; init; } = "RECORD_INDEX";

    /// <summary>The subject prefix of the record index: a DID's entries go to <c>recidx.&lt;escaped DID&gt;</c>.</summary>
    public string RecordIndexSubjectPrefix { get; init; } = "recidx";
}
