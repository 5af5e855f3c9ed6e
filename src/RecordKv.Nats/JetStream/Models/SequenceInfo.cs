namespace RecordKv.Nats.JetStream;

/// <summary>A consumer sequence with the stream sequence it corresponds to.</summary>
public sealed record SequenceInfo
{
    /// <summary>The consumer's own sequence.</summary>
    public ulong ConsumerSeq { get; init; }

    /// <summary>The stream sequence.</summary>
    public ulong StreamSeq { get; init; }

    /// <summary>When this was last advanced.</summary>
    public DateTimeOffset? LastActive { get; init; }
}
