using System.Diagnostics.CodeAnalysis;
using System.Numerics;

namespace RecordKv.Atproto.Syntax;

/// <summary>An AT-URI in the restricted form Lexicon uses (atproto.com/specs/at-uri-scheme):
/// <c>at://AUTHORITY[/COLLECTION[/RKEY]]</c>, with a DID or handle, an NSID and a record key.</summary>
/// <remarks>No query, fragment, percent-encoding or trailing slash. Equality is ordinal on the text.</remarks>
public readonly record struct AtUri
{
    /// <summary>The longest AT-URI accepted (8 KB).</summary>
    public const int MaxLength = 8 * 1024;

    private const int AuthorityStart = 5; // "at://".Length

    private readonly string? _value;
    private readonly int _authorityEnd;
    private readonly int _collectionEnd;

    private AtUri(string value, int authorityEnd, int collectionEnd)
    {
        _value = value;
        _authorityEnd = authorityEnd;
        _collectionEnd = collectionEnd;
    }

    /// <summary>The URI as text.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>The authority: the DID or handle after <c>at://</c>.</summary>
    public AtIdentifier Authority => _value is null ? default : AtIdentifier.FromValidated(_value[AuthorityStart.._authorityEnd]);

    /// <summary>The collection NSID, or null when the URI names the whole repository.</summary>
    public Nsid? Collection => _value is null || _authorityEnd == _value.Length
        ? null
        : Nsid.FromValidated(_value[(_authorityEnd + 1).._collectionEnd]);

    /// <summary>The record key, or null when the URI names a repository or a collection.</summary>
    public RecordKey? RecordKey => _value is null || _collectionEnd == _value.Length
        ? null
        : Syntax.RecordKey.FromValidated(_value[(_collectionEnd + 1)..]);

    /// <summary>Builds the URI of a record: <c>at://DID/COLLECTION/RKEY</c>.</summary>
    public static AtUri ForRecord(AtIdentifier authority, Nsid collection, RecordKey recordKey)
    {
        var value = $"at://{authority.Value}/{collection.Value}/{recordKey.Value}";
        if (value.Length > MaxLength)
        {
            SyntaxThrow.Format(SyntaxKind.AtUri, "longer than 8192 characters", value);
        }

        var authorityEnd = AuthorityStart + authority.Value.Length;
        return new AtUri(value, authorityEnd, authorityEnd + 1 + collection.Value.Length);
    }

    /// <summary>Builds the URI of a record in a repository named by DID.</summary>
    public static AtUri ForRecord(Did did, Nsid collection, RecordKey recordKey) =>
        ForRecord(AtIdentifier.FromDid(did), collection, recordKey);

    /// <summary>Parses an AT-URI, keeping <paramref name="text"/> as the value.</summary>
    /// <exception cref="SyntaxFormatException">The text is not a valid AT-URI.</exception>
    public static AtUri Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Check<char>(text, out var authorityEnd, out var collectionEnd) is { } reason)
        {
            SyntaxThrow.Format(SyntaxKind.AtUri, reason, text);
        }

        return new AtUri(text, authorityEnd, collectionEnd);
    }

    /// <summary>Parses an AT-URI from UTF-16 text.</summary>
    /// <exception cref="SyntaxFormatException">The text is not a valid AT-URI.</exception>
    public static AtUri Parse(ReadOnlySpan<char> text)
    {
        if (Check(text, out var authorityEnd, out var collectionEnd) is { } reason)
        {
            SyntaxThrow.Format(SyntaxKind.AtUri, reason, text);
        }

        return new AtUri(text.ToString(), authorityEnd, collectionEnd);
    }

    /// <summary>Parses an AT-URI from UTF-8 bytes.</summary>
    /// <exception cref="SyntaxFormatException">The bytes are not a valid AT-URI.</exception>
    public static AtUri Parse(ReadOnlySpan<byte> utf8)
    {
        if (Check(utf8, out var authorityEnd, out var collectionEnd) is { } reason)
        {
            SyntaxThrow.Format(SyntaxKind.AtUri, reason, utf8);
        }

        return new AtUri(SyntaxChars.ToAsciiString(utf8), authorityEnd, collectionEnd);
    }

    /// <summary>Parses an AT-URI without throwing, keeping <paramref name="text"/> as the value.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out AtUri uri)
    {
        if (text is not null && Check<char>(text, out var authorityEnd, out var collectionEnd) is null)
        {
            uri = new AtUri(text, authorityEnd, collectionEnd);
            return true;
        }

        uri = default;
        return false;
    }

    /// <summary>Parses an AT-URI from UTF-16 text without throwing.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out AtUri uri)
    {
        if (Check(text, out var authorityEnd, out var collectionEnd) is null)
        {
            uri = new AtUri(text.ToString(), authorityEnd, collectionEnd);
            return true;
        }

        uri = default;
        return false;
    }

    /// <summary>Parses an AT-URI from UTF-8 bytes without throwing.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out AtUri uri)
    {
        if (Check(utf8, out var authorityEnd, out var collectionEnd) is null)
        {
            uri = new AtUri(SyntaxChars.ToAsciiString(utf8), authorityEnd, collectionEnd);
            return true;
        }

        uri = default;
        return false;
    }

    /// <summary>Whether the text is a valid AT-URI; allocates nothing.</summary>
    public static bool IsValid(ReadOnlySpan<char> text) => Check(text, out _, out _) is null;

    /// <summary>Whether the UTF-8 bytes are a valid AT-URI; allocates nothing.</summary>
    public static bool IsValid(ReadOnlySpan<byte> utf8) => Check(utf8, out _, out _) is null;

    /// <inheritdoc/>
    public override string ToString() => Value;

    private static string? Check<T>(ReadOnlySpan<T> text, out int authorityEnd, out int collectionEnd)
        where T : unmanaged, IBinaryInteger<T>
    {
        authorityEnd = collectionEnd = text.Length;
        if (text.Length > MaxLength)
        {
            return "longer than 8192 characters";
        }

        if (text.Length < AuthorityStart
            || SyntaxChars.Code(text[0]) != 'a' || SyntaxChars.Code(text[1]) != 't' || SyntaxChars.Code(text[2]) != ':'
            || SyntaxChars.Code(text[3]) != '/' || SyntaxChars.Code(text[4]) != '/')
        {
            return "must start with \"at://\"";
        }

        var slash = SyntaxChars.IndexOf(text, '/', AuthorityStart);
        authorityEnd = slash < 0 ? text.Length : slash;
        if (AtIdentifier.Check(text[AuthorityStart..authorityEnd]) is not null)
        {
            return "authority is not a valid DID or handle";
        }

        if (slash < 0)
        {
            collectionEnd = text.Length;
            return null;
        }

        var collectionStart = slash + 1;
        slash = SyntaxChars.IndexOf(text, '/', collectionStart);
        collectionEnd = slash < 0 ? text.Length : slash;
        if (Nsid.Check(text[collectionStart..collectionEnd]) is not null)
        {
            return collectionStart == text.Length ? "must not end with '/'" : "collection is not a valid NSID";
        }

        if (slash < 0)
        {
            return null;
        }

        if (Syntax.RecordKey.Check(text[(slash + 1)..]) is not null)
        {
            return slash + 1 == text.Length ? "must not end with '/'" : "record key is not valid (or the path has more than three parts)";
        }

        return null;
    }
}
