namespace RecordKv.Atproto.Firehose;

/// <summary>Size limits applied to firehose frames; the defaults are the hard limits of the atproto sync specification.</summary>
public sealed record FirehoseLimits
{
    /// <summary>The limits the specification sets.</summary>
    public static FirehoseLimits Default { get; } = new();

    /// <summary>Largest whole frame (header and body) accepted: the spec's hard limit of 5 MB per WebSocket frame.</summary>
    public int MaxFrameBytes { get; init; } = 5 * 1024 * 1024;

    /// <summary>Largest <c>blocks</c> CAR slice in a <c>#commit</c> or <c>#sync</c> event: 2,000,000 bytes.</summary>
    public int MaxBlocksBytes { get; init; } = 2_000_000;

    /// <summary>Largest single record block inside a <c>#commit</c>: 1,000,000 bytes.</summary>
    public int MaxRecordBytes { get; init; } = 1_000_000;

    /// <summary>Most record operations in one <c>#commit</c>: 200.</summary>
    public int MaxOperations { get; init; } = 200;

    /// <summary>How far in the future a revision's timestamp may be (the spec allows "a few minutes" of drift): 5 minutes.</summary>
    public TimeSpan MaxClockDrift { get; init; } = TimeSpan.FromMinutes(5);
}
