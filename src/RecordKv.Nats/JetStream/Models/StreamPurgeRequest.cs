namespace RecordKv.Nats.JetStream;

/// <summary>What to purge from a stream: everything, one subject, below a sequence, or all but the newest <see cref="Keep"/>.</summary>
public sealed record StreamPurgeRequest
{
    /// <summary>Purges only messages on this subject (wildcards allowed).</summary>
    public string? Filter { get; init; }

    /// <summary>Purges messages below this sequence.</summary>
    public ulong? Seq { get; init; }

    /// <summary>Keeps this many of the newest messages.</summary>
    public ulong? Keep { get; init; }
}
