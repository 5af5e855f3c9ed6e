namespace RecordKv.Nats.JetStream;

/// <summary>The answer to a delete: <c>{"success":true}</c>.</summary>
internal sealed record SuccessResponse
{
    public bool Success { get; init; }
}
