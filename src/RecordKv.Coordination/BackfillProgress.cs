using System.Text.Json.Serialization;

namespace RecordKv.Coordination;

/// <summary>
/// What one builder instance has done for one backfill run (control key <c>backfill.progress.&lt;run&gt;.&lt;instance&gt;</c>);
/// the verb sums them over instances.
/// </summary>
public sealed record BackfillProgress
{
    /// <summary>Jobs finished well: repositories synchronized, or inactive accounts recorded.</summary>
    [JsonPropertyName("done")]
    public long Done { get; init; }

    /// <summary>Jobs that failed (repository unavailable, verification failed, PDS errors after retries).</summary>
    [JsonPropertyName("errors")]
    public long Errors { get; init; }

    /// <summary>Jobs skipped by the rev guard: the store already held a newer revision from live events.</summary>
    [JsonPropertyName("skipped")]
    public long Skipped { get; init; }

    /// <summary>Records written (puts) by the run's jobs.</summary>
    [JsonPropertyName("records")]
    public long Records { get; init; }

    /// <summary>Records deleted by the run's jobs (in the store, not in the repository).</summary>
    [JsonPropertyName("deleted")]
    public long Deleted { get; init; }

    /// <summary>Jobs finished in any way (done, skipped or failed).</summary>
    [JsonIgnore]
    public long Finished => Done + Skipped + Errors;

    /// <summary>The sum of two instances' progress.</summary>
    public BackfillProgress Add(BackfillProgress other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new BackfillProgress
        {
            Done = Done + other.Done,
            Errors = Errors + other.Errors,
            Skipped = Skipped + other.Skipped,
            Records = Records + other.Records,
            Deleted = Deleted + other.Deleted,
        };
    }
}
