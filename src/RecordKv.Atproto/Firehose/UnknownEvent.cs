namespace RecordKv.Atproto.Firehose;

/// <summary>A well-formed frame whose header <c>op</c> or <c>t</c> is not known; the spec says to ignore it.</summary>
public sealed record UnknownEvent : FirehoseEvent
{
    /// <summary>The header <c>t</c> value, if present.</summary>
    public override string? Type => HeaderType;

    /// <summary>The header <c>t</c> value, if present.</summary>
    public string? HeaderType { get; init; }

    /// <summary>The header <c>op</c> value.</summary>
    public required long Op { get; init; }

    /// <summary>The body bytes (a slice of the frame).</summary>
    public required ReadOnlyMemory<byte> Body { get; init; }
}
