namespace RecordKv.Atproto.Firehose;

/// <summary>An <c>#identity</c> event: the DID document or handle of an account may have changed.</summary>
public sealed record IdentityEvent : FirehoseEvent
{
    /// <summary>The header type of this event.</summary>
    public const string TypeName = "#identity";

    /// <inheritdoc />
    public override string? Type => TypeName;

    /// <summary>The stream sequence number.</summary>
    public required long Seq { get; init; }

    /// <summary>The DID of the account.</summary>
    public required string Did { get; init; }

    /// <summary>When the event was broadcast.</summary>
    public required string Time { get; init; }

    /// <summary>The current handle, if the emitter included it.</summary>
    public string? Handle { get; init; }
}
