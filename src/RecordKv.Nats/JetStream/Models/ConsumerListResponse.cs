namespace RecordKv.Nats.JetStream;

/// <summary>One page of consumer infos.</summary>
internal sealed record ConsumerListResponse
{
    public int Total { get; init; }

    public int Offset { get; init; }

    public int Limit { get; init; }

    public IReadOnlyList<ConsumerInfo>? Consumers { get; init; }
}
