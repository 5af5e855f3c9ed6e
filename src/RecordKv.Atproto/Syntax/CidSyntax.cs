using System.Numerics;

namespace RecordKv.Atproto.Syntax;

/// <summary>The loose lexical check Lexicon applies to a CID string (format <c>cid</c>): 8–256 characters of
/// <c>A-Za-z0-9+=</c>, not a CIDv0. It does not decode the CID; <c>Cids.Cid</c> does that.</summary>
public static class CidSyntax
{
    /// <summary>The shortest CID string accepted.</summary>
    public const int MinLength = 8;

    /// <summary>The longest CID string accepted.</summary>
    public const int MaxLength = 256;

    /// <summary>Whether the text passes the CID string check.</summary>
    public static bool IsValid(ReadOnlySpan<char> text) => Check(text) is null;

    /// <summary>Whether the UTF-8 bytes pass the CID string check.</summary>
    public static bool IsValid(ReadOnlySpan<byte> utf8) => Check(utf8) is null;

    /// <summary>Throws unless the text passes the CID string check.</summary>
    /// <exception cref="SyntaxFormatException">The text is not a CID string.</exception>
    public static void Validate(ReadOnlySpan<char> text)
    {
        if (Check(text) is { } reason)
        {
            SyntaxThrow.Format(SyntaxKind.Cid, reason, text);
        }
    }

    internal static string? Check<T>(ReadOnlySpan<T> text)
        where T : unmanaged, IBinaryInteger<T>
    {
        if (text.Length is < MinLength or > MaxLength)
        {
            return "must be 8-256 characters";
        }

        foreach (var unit in text)
        {
            var c = SyntaxChars.Code(unit);
            if (!SyntaxChars.IsLetterOrDigit(c) && c is not ('+' or '='))
            {
                return "may contain only ASCII letters, digits, '+' and '='";
            }
        }

        // A CIDv0 is a bare base58 multihash, always "Qm..."; no multibase prefix is 'Q', so no CIDv1 starts this way.
        if (SyntaxChars.Code(text[0]) == 'Q' && SyntaxChars.Code(text[1]) == 'm')
        {
            return "CIDv0 (\"Qm...\") is not allowed";
        }

        return null;
    }
}
