namespace RecordKv.Nats.JetStream;

/// <summary>The body of <c>$JS.API.CONSUMER.CREATE</c>.</summary>
internal sealed record ConsumerCreateRequest
{
    public required string StreamName { get; init; }

    public required ConsumerConfig Config { get; init; }
}
