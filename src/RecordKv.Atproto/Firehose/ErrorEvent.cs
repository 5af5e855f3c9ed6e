namespace RecordKv.Atproto.Firehose;

/// <summary>An error frame (header <c>op = -1</c>); the server closes the stream after it.</summary>
public sealed record ErrorEvent : FirehoseEvent
{
    /// <inheritdoc />
    public override string? Type => null;

    /// <summary>The error name, e.g. <c>FutureCursor</c> or <c>ConsumerTooSlow</c>.</summary>
    public required string Error { get; init; }

    /// <summary>A human-readable description, if given.</summary>
    public string? Message { get; init; }
}
