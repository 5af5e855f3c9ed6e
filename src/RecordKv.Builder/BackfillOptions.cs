namespace RecordKv.Builder;

/// <summary>How a builder processes backfill jobs (configuration section <c>Backfill</c>).</summary>
public sealed record BackfillOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "Backfill";

    /// <summary>Whether this builder consumes backfill jobs of the partitions it holds; default true.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Jobs this builder runs at once over all its partitions; default 8.</summary>
    public int MaxConcurrentJobs { get; init; } = 8;

    /// <summary>Concurrent getRepo / DID document requests per host made by backfill jobs (separate from live resyncs); default 4.</summary>
    public int MaxConcurrentRequestsPerHost { get; init; } = 4;

    /// <summary>
    /// A partition's backfill pauses while its live consumer has more than this many firehose messages pending, so
    /// backfill runs behind live events; default 1000.
    /// </summary>
    public long LiveLagThreshold { get; init; } = 1000;

    /// <summary>How often the held partitions are checked (to start and stop their job consumers) and progress is written; default 1 s.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long JetStream waits for a job's ack before redelivering it; a running job keeps it alive with in-progress acks; default 60 s.</summary>
    public TimeSpan AckWait { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Deliveries of one job before JetStream gives up on it (jobs that fail are counted and acked, so this only bounds crashes); default 5.</summary>
    public int MaxDeliver { get; init; } = 5;

    /// <summary>Throws when the options cannot work.</summary>
    public void Validate()
    {
        if (MaxConcurrentJobs < 1 || MaxConcurrentRequestsPerHost < 1 || MaxDeliver < 1 || PollInterval <= TimeSpan.Zero || AckWait < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentException("Backfill: MaxConcurrentJobs, MaxConcurrentRequestsPerHost and MaxDeliver must be at least 1, PollInterval positive and AckWait at least 1 s.");
        }
    }
}
