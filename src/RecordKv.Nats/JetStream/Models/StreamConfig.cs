namespace RecordKv.Nats.JetStream;

/// <summary>A stream's configuration as the JetStream API takes it; nulls are omitted so the server applies its defaults.</summary>
public sealed record StreamConfig
{
    /// <summary>The stream name (no spaces, dots, <c>*</c> or <c>&gt;</c>).</summary>
    public required string Name { get; init; }

    /// <summary>A free-text description.</summary>
    public string? Description { get; init; }

    /// <summary>The subjects the stream captures.</summary>
    public IReadOnlyList<string>? Subjects { get; init; }

    /// <summary>When messages are removed; default limits.</summary>
    public StreamRetentionPolicy Retention { get; init; } = StreamRetentionPolicy.Limits;

    /// <summary>How many consumers the stream may have; -1 is unlimited.</summary>
    public int MaxConsumers { get; init; } = -1;

    /// <summary>How many messages the stream keeps; -1 is unlimited.</summary>
    public long MaxMsgs { get; init; } = -1;

    /// <summary>How many bytes the stream keeps; -1 is unlimited.</summary>
    public long MaxBytes { get; init; } = -1;

    /// <summary>How long a message is kept; zero is forever.</summary>
    public TimeSpan MaxAge { get; init; }

    /// <summary>How many messages are kept per subject; -1 is unlimited.</summary>
    public long MaxMsgsPerSubject { get; init; } = -1;

    /// <summary>The largest message accepted; -1 is the server's max payload.</summary>
    public int MaxMsgSize { get; init; } = -1;

    /// <summary>What a full stream discards; default old messages.</summary>
    public StreamDiscardPolicy Discard { get; init; } = StreamDiscardPolicy.Old;

    /// <summary>File or memory storage; default file.</summary>
    public StreamStorageType Storage { get; init; } = StreamStorageType.File;

    /// <summary>How many replicas the stream has in a cluster; default 1.</summary>
    public int NumReplicas { get; init; } = 1;

    /// <summary>Whether publishes to the stream's subjects get no PubAck.</summary>
    public bool NoAck { get; init; }

    /// <summary>How long <c>Nats-Msg-Id</c> values are remembered for deduplication; null is the server default (2 minutes).</summary>
    public TimeSpan? DuplicateWindow { get; init; }

    /// <summary>Whether <c>Nats-Rollup</c> headers may purge a subject or the stream.</summary>
    public bool AllowRollupHdrs { get; init; }

    /// <summary>Whether deleting single messages is forbidden.</summary>
    public bool DenyDelete { get; init; }

    /// <summary>Whether purging is forbidden.</summary>
    public bool DenyPurge { get; init; }

    /// <summary>Whether every replica answers direct get requests (<c>$JS.API.DIRECT.GET</c>).</summary>
    public bool AllowDirect { get; init; }

    /// <summary>Whether the stream is sealed (read-only); only settable on update.</summary>
    public bool Sealed { get; init; }

    /// <summary>Where the stream's replicas are placed.</summary>
    public StreamPlacement? Placement { get; init; }
}
