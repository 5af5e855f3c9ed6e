using System.Numerics;

namespace RecordKv.Atproto.Syntax;

/// <summary>A syntactically valid namespaced identifier (atproto.com/specs/nsid), e.g. <c>app.bsky.feed.post</c>.</summary>
/// <remarks>A reversed domain authority (two or more labels, the first starting with a letter) then a name
/// (letters and digits, not starting with a digit). NSIDs are case-sensitive; equality is ordinal.</remarks>
public readonly partial record struct Nsid
{
    /// <summary>The longest NSID accepted: a 253-character authority, a '.', a 63-character name.</summary>
    public const int MaxLength = 317;

    private const int MaxAuthorityLength = 253;
    private const int MaxSegmentLength = DomainLabels.MaxLabelLength;

    private readonly string? _value;

    private Nsid(string value) => _value = value;

    /// <summary>Wraps text a caller has already validated (e.g. a part of a parsed AT-URI).</summary>
    internal static Nsid FromValidated(string value) => new(value);

    /// <summary>The NSID as text.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>The domain authority: every segment before the name, e.g. <c>app.bsky.feed</c>.</summary>
    public ReadOnlySpan<char> Authority
    {
        get
        {
            var value = Value.AsSpan();
            var lastDot = value.LastIndexOf('.');
            return lastDot < 0 ? default : value[..lastDot];
        }
    }

    /// <summary>The name: the final segment, e.g. <c>post</c>.</summary>
    public ReadOnlySpan<char> Name
    {
        get
        {
            var value = Value.AsSpan();
            return value[(value.LastIndexOf('.') + 1)..];
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Value;

    /// <summary>Returns null when <paramref name="text"/> is a valid NSID, otherwise what is wrong.</summary>
    internal static string? Check<T>(ReadOnlySpan<T> text)
        where T : unmanaged, IBinaryInteger<T>
    {
        if (text.IsEmpty)
        {
            return "is empty";
        }

        if (text.Length > MaxLength)
        {
            return "longer than 317 characters";
        }

        var nameStart = text.LastIndexOf(T.CreateTruncating('.')) + 1;
        if (nameStart == 0)
        {
            return "needs at least three segments";
        }

        if (nameStart - 1 > MaxAuthorityLength)
        {
            return "domain authority longer than 253 characters";
        }

        if (!SyntaxChars.AllIn(text[..nameStart], SyntaxCharSets.HostnameChars, SyntaxCharSets.HostnameBytes))
        {
            return "domain authority may contain only ASCII letters, digits, '-' and '.'";
        }

        // The authority's labels are its segments; the dot before the name is not part of them.
        switch (DomainLabels.Check(text[..(nameStart - 1)], out var segments))
        {
            case DomainLabelProblem.EmptyLabel:
                return "has an empty segment (a leading or doubled '.')";
            case DomainLabelProblem.LabelTooLong:
                return "has a segment longer than 63 characters";
            case DomainLabelProblem.HyphenAtLabelEdge:
                return "has a domain segment that starts or ends with '-'";
        }

        if (segments < 2)
        {
            return "needs at least three segments";
        }

        if (!SyntaxChars.IsLetter(SyntaxChars.Code(text[0])))
        {
            return "first segment must start with a letter";
        }

        var nameLength = text.Length - nameStart;
        if (nameLength == 0)
        {
            return "name (the last segment) is empty";
        }

        if (nameLength > MaxSegmentLength)
        {
            return "name (the last segment) is longer than 63 characters";
        }

        if (!SyntaxChars.IsLetter(SyntaxChars.Code(text[nameStart])))
        {
            return "name (the last segment) must start with a letter";
        }

        for (var index = nameStart + 1; index < text.Length; index++)
        {
            if (!SyntaxChars.IsLetterOrDigit(SyntaxChars.Code(text[index])))
            {
                return "name (the last segment) may contain only ASCII letters and digits";
            }
        }

        return null;
    }
}
