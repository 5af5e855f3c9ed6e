namespace RecordKv.Atproto.Syntax;

/// <summary>Thrown when a string is not a valid value of an atproto string format; names the format and what is wrong.</summary>
public sealed class SyntaxFormatException : FormatException
{
    // Values can be kilobytes long (fixtures go to 8 KB): the message quotes a prefix only.
    private const int QuotedValueCap = 80;

    /// <summary>Creates the exception for a value of <paramref name="kind"/> that is wrong because of <paramref name="reason"/>.</summary>
    public SyntaxFormatException(SyntaxKind kind, string reason, ReadOnlySpan<char> value)
        : base(BuildMessage(kind, reason, value))
    {
        Kind = kind;
        Reason = reason;
    }

    /// <summary>The string format the value was parsed as.</summary>
    public SyntaxKind Kind { get; }

    /// <summary>What is wrong with the value, e.g. "method must be lowercase letters".</summary>
    public string Reason { get; }

    /// <summary>The human name of a format as used in messages ("DID", "AT-URI", ...).</summary>
    public static string DisplayName(SyntaxKind kind) => kind switch
    {
        SyntaxKind.Did => "DID",
        SyntaxKind.Handle => "handle",
        SyntaxKind.AtIdentifier => "AT identifier",
        SyntaxKind.Nsid => "NSID",
        SyntaxKind.RecordKey => "record key",
        SyntaxKind.Tid => "TID",
        SyntaxKind.AtUri => "AT-URI",
        SyntaxKind.Datetime => "datetime",
        SyntaxKind.Language => "language tag",
        SyntaxKind.Cid => "CID string",
        SyntaxKind.Uri => "URI",
        _ => kind.ToString(),
    };

    private static string BuildMessage(SyntaxKind kind, string reason, ReadOnlySpan<char> value)
    {
        var quoted = value.Length <= QuotedValueCap
            ? value.ToString()
            : string.Concat(value[..QuotedValueCap], "…");
        return $"Invalid {DisplayName(kind)} \"{quoted}\" ({value.Length} chars): {reason}.";
    }
}
