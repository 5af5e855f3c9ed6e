namespace RecordKv.Nats.JetStream;

/// <summary>The answer to a purge.</summary>
internal sealed record StreamPurgeResponse
{
    public bool Success { get; init; }

    public ulong Purged { get; init; }
}
