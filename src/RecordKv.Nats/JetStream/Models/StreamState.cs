namespace RecordKv.Nats.JetStream;

/// <summary>A stream's message counts and sequence range.</summary>
public sealed record StreamState
{
    /// <summary>How many messages the stream holds.</summary>
    public ulong Messages { get; init; }

    /// <summary>How many bytes the stream holds.</summary>
    public ulong Bytes { get; init; }

    /// <summary>The first sequence still stored.</summary>
    public ulong FirstSeq { get; init; }

    /// <summary>When the first stored message was written.</summary>
    public DateTimeOffset? FirstTs { get; init; }

    /// <summary>The last sequence written.</summary>
    public ulong LastSeq { get; init; }

    /// <summary>When the last message was written.</summary>
    public DateTimeOffset? LastTs { get; init; }

    /// <summary>How many messages between first and last were deleted.</summary>
    public long NumDeleted { get; init; }

    /// <summary>How many distinct subjects the stream holds.</summary>
    public long NumSubjects { get; init; }

    /// <summary>How many consumers the stream has.</summary>
    public int ConsumerCount { get; init; }

    /// <summary>Message counts per subject, only when asked for with a subjects filter (see <see cref="NatsJetStreamContext.GetStreamSubjectsAsync"/>).</summary>
    public IReadOnlyDictionary<string, ulong>? Subjects { get; init; }
}
