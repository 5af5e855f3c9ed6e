namespace RecordKv.Nats.JetStream;

/// <summary>Reads only the <c>error</c> member of any JetStream API answer.</summary>
internal sealed record ApiErrorResponse
{
    public ApiError? Error { get; init; }
}
