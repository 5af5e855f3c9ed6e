namespace RecordKv.Atproto.Firehose;

/// <summary>An <c>#account</c> event: the hosting status of an account at the emitting service.</summary>
public sealed record AccountEvent : FirehoseEvent
{
    /// <summary>The header type of this event.</summary>
    public const string TypeName = "#account";

    /// <inheritdoc />
    public override string? Type => TypeName;

    /// <summary>The stream sequence number.</summary>
    public required long Seq { get; init; }

    /// <summary>The DID of the account.</summary>
    public required string Did { get; init; }

    /// <summary>When the event was broadcast.</summary>
    public required string Time { get; init; }

    /// <summary>Whether the repository can currently be fetched and redistributed.</summary>
    public required bool Active { get; init; }

    /// <summary>Why the account is not active (<c>takendown</c>, <c>suspended</c>, <c>deleted</c>, <c>deactivated</c>, ...), if given.</summary>
    public string? Status { get; init; }
}
