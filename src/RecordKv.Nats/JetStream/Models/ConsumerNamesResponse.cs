namespace RecordKv.Nats.JetStream;

/// <summary>One page of consumer names.</summary>
internal sealed record ConsumerNamesResponse
{
    public int Total { get; init; }

    public int Offset { get; init; }

    public int Limit { get; init; }

    public IReadOnlyList<string>? Consumers { get; init; }
}
