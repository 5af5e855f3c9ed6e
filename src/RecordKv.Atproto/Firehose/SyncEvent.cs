namespace RecordKv.Atproto.Firehose;

/// <summary>A <c>#sync</c> event: asserts the current commit of a repository, possibly resetting it.</summary>
public sealed record SyncEvent : FirehoseEvent
{
    /// <summary>The header type of this event.</summary>
    public const string TypeName = "#sync";

    /// <inheritdoc />
    public override string? Type => TypeName;

    /// <summary>The stream sequence number.</summary>
    public required long Seq { get; init; }

    /// <summary>The DID of the account.</summary>
    public required string Did { get; init; }

    /// <summary>The CAR slice holding the commit block (a slice of the frame when decoded).</summary>
    public required ReadOnlyMemory<byte> Blocks { get; init; }

    /// <summary>The revision (TID) of the commit.</summary>
    public required string Rev { get; init; }

    /// <summary>When the event was broadcast.</summary>
    public required string Time { get; init; }
}
