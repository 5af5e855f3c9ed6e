namespace RecordKv.Nats.JetStream;

/// <summary>The answer to <c>$JS.API.STREAM.MSG.GET</c>.</summary>
internal sealed record StreamMsgGetResponse
{
    public StoredMessageJson? Message { get; init; }
}
