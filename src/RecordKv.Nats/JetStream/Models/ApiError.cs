namespace RecordKv.Nats.JetStream;

/// <summary>The <c>error</c> object of a JetStream API answer.</summary>
internal sealed record ApiError
{
    public int Code { get; init; }

    public int ErrCode { get; init; }

    public string? Description { get; init; }
}
