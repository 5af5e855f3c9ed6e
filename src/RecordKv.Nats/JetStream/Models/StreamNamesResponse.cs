namespace RecordKv.Nats.JetStream;

/// <summary>One page of stream names.</summary>
internal sealed record StreamNamesResponse
{
    public int Total { get; init; }

    public int Offset { get; init; }

    public int Limit { get; init; }

    public IReadOnlyList<string>? Streams { get; init; }
}
