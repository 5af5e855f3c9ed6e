namespace RecordKv.Nats.JetStream;

/// <summary>A paged request for stream or consumer names (<c>subject</c> filters streams by subject).</summary>
internal sealed record NamesRequest
{
    public int Offset { get; init; }

    public string? Subject { get; init; }
}
