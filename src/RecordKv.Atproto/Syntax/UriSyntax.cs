using System.Numerics;

namespace RecordKv.Atproto.Syntax;

/// <summary>The Lexicon check for a generic URI (format <c>uri</c>): an RFC 3986 scheme, ':', then one or more
/// visible ASCII characters; at most 8 KB.</summary>
/// <remarks>Like the reference implementations this does not take the rest of RFC 3986 apart: Lexicon only needs
/// "some URI", and the scheme plus the absence of whitespace and control characters is what tells one apart.</remarks>
public static class UriSyntax
{
    /// <summary>The longest URI accepted (8 KB).</summary>
    public const int MaxLength = 8 * 1024;

    /// <summary>Whether the text passes the URI check.</summary>
    public static bool IsValid(ReadOnlySpan<char> text) => Check(text) is null;

    /// <summary>Whether the UTF-8 bytes pass the URI check.</summary>
    public static bool IsValid(ReadOnlySpan<byte> utf8) => Check(utf8) is null;

    /// <summary>Throws unless the text passes the URI check.</summary>
    /// <exception cref="SyntaxFormatException">The text is not a URI.</exception>
    public static void Validate(ReadOnlySpan<char> text)
    {
        if (Check(text) is { } reason)
        {
            SyntaxThrow.Format(SyntaxKind.Uri, reason, text);
        }
    }

    internal static string? Check<T>(ReadOnlySpan<T> text)
        where T : unmanaged, IBinaryInteger<T>
    {
        if (text.Length > MaxLength)
        {
            return "longer than 8192 characters";
        }

        if (text.IsEmpty || !SyntaxChars.IsLetter(SyntaxChars.Code(text[0])))
        {
            return "must start with a scheme, which starts with a letter";
        }

        var index = 1;
        for (; index < text.Length; index++)
        {
            var c = SyntaxChars.Code(text[index]);
            if (c == ':')
            {
                break;
            }

            if (!SyntaxChars.IsLetterOrDigit(c) && c is not ('+' or '-' or '.'))
            {
                return "scheme may contain only letters, digits, '+', '-' and '.', and must end with ':'";
            }
        }

        if (index >= text.Length - 1)
        {
            return "needs a scheme, ':' and something after it";
        }

        for (index++; index < text.Length; index++)
        {
            var c = SyntaxChars.Code(text[index]);
            if (c is <= ' ' or >= 0x7F)
            {
                return "may contain only visible ASCII characters (no spaces)";
            }
        }

        return null;
    }
}
