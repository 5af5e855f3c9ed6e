namespace RecordKv.Atproto.Firehose;

/// <summary>An <c>#info</c> message from the server, such as <c>OutdatedCursor</c>.</summary>
public sealed record InfoEvent : FirehoseEvent
{
    /// <summary>The header type of this event.</summary>
    public const string TypeName = "#info";

    /// <inheritdoc />
    public override string? Type => TypeName;

    /// <summary>The info name, e.g. <c>OutdatedCursor</c>.</summary>
    public required string Name { get; init; }

    /// <summary>A human-readable description, if given.</summary>
    public string? Message { get; init; }
}
