namespace RecordKv.Nats.JetStream;

/// <summary>A PubAck as JSON, for the synchronous publish path (the asynchronous publisher parses acks by hand).</summary>
internal sealed record PubAckJson
{
    public string? Stream { get; init; }

    public ulong Seq { get; init; }

    public bool Duplicate { get; init; }

    public string? Domain { get; init; }

    public ApiError? Error { get; init; }
}
