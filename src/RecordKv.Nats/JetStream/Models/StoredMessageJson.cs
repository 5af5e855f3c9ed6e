namespace RecordKv.Nats.JetStream;

/// <summary>A stored message as <c>STREAM.MSG.GET</c> returns it: headers and data in base64.</summary>
internal sealed record StoredMessageJson
{
    public required string Subject { get; init; }

    public ulong Seq { get; init; }

    public byte[]? Hdrs { get; init; }

    public byte[]? Data { get; init; }

    public DateTimeOffset Time { get; init; }
}
