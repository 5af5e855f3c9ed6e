using System.Numerics;

namespace RecordKv.Atproto.Syntax;

/// <summary>A syntactically valid handle (atproto.com/specs/handle): a DNS hostname of two or more labels.</summary>
/// <remarks>Handles are case-insensitive; the value keeps the case it was given (so it round-trips) and
/// <see cref="Normalize"/> gives the lowercase form to compare or store. Equality here is ordinal on the value as given.
/// Disallowed TLDs (<c>.local</c>, <c>.arpa</c>, ...) pass: the spec makes them an application check, not syntax.</remarks>
public readonly partial record struct Handle
{
    /// <summary>The longest handle accepted, in characters.</summary>
    public const int MaxLength = 253;

    /// <summary>The longest label (the part between dots), in characters.</summary>
    public const int MaxLabelLength = DomainLabels.MaxLabelLength;

    private readonly string? _value;

    private Handle(string value) => _value = value;

    /// <summary>Wraps text a caller has already validated (e.g. a part of a parsed AT-URI).</summary>
    internal static Handle FromValidated(string value) => new(value);

    /// <summary>The handle as given.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>The handle in lowercase, its normal form.</summary>
    public Handle Normalize()
    {
        var value = Value;
        foreach (var c in value)
        {
            if (char.IsAsciiLetterUpper(c))
            {
                return new Handle(value.ToLowerInvariant());
            }
        }

        return this;
    }

    /// <inheritdoc/>
    public override string ToString() => Value;

    /// <summary>Returns null when <paramref name="text"/> is a valid handle, otherwise what is wrong.</summary>
    internal static string? Check<T>(ReadOnlySpan<T> text)
        where T : unmanaged, IBinaryInteger<T>
    {
        if (text.IsEmpty)
        {
            return "is empty";
        }

        if (text.Length > MaxLength)
        {
            return "longer than 253 characters";
        }

        if (!SyntaxChars.AllIn(text, SyntaxCharSets.HostnameChars, SyntaxCharSets.HostnameBytes))
        {
            return "may contain only ASCII letters, digits, '-' and '.'";
        }

        switch (DomainLabels.Check(text, out var labels))
        {
            case DomainLabelProblem.EmptyLabel:
                return "has an empty label (a leading, trailing or doubled '.')";
            case DomainLabelProblem.LabelTooLong:
                return "has a label longer than 63 characters";
            case DomainLabelProblem.HyphenAtLabelEdge:
                return "has a label that starts or ends with '-'";
        }

        if (labels < 2)
        {
            return "needs at least two labels";
        }

        var topLevelStart = text.LastIndexOf(T.CreateTruncating('.')) + 1;
        if (!SyntaxChars.IsLetter(SyntaxChars.Code(text[topLevelStart])))
        {
            return "top-level domain must start with a letter";
        }

        return null;
    }
}
