namespace RecordKv.Nats.JetStream;

/// <summary>Which message to get: by sequence, the last on a subject, or the next on a subject from a sequence.</summary>
public sealed record StreamMsgGetRequest
{
    /// <summary>The sequence (or the start, with <see cref="NextBySubj"/>).</summary>
    public ulong? Seq { get; init; }

    /// <summary>The subject whose last message is wanted.</summary>
    public string? LastBySubj { get; init; }

    /// <summary>The subject whose next message at or after <see cref="Seq"/> is wanted.</summary>
    public string? NextBySubj { get; init; }
}
