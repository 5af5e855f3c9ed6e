using System.Diagnostics.CodeAnalysis;

namespace RecordKv.Atproto.Syntax;

// Parse/TryParse/IsValid over string, UTF-16 and UTF-8, all delegating to the one generic Check scanner.
public readonly partial record struct Language
{
    /// <summary>Parses a language tag strictly (well-formed and no repeated variant or extension), keeping <paramref name="text"/> as the value without copying.</summary>
    /// <exception cref="SyntaxFormatException">The text is not a valid language tag.</exception>
    public static Language Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Check<char>(text) is { } reason)
        {
            SyntaxThrow.Format(SyntaxKind.Language, reason, text);
        }

        return new Language(text);
    }

    /// <summary>Parses a language tag strictly (well-formed and no repeated variant or extension) from UTF-16 text.</summary>
    /// <exception cref="SyntaxFormatException">The text is not a valid language tag.</exception>
    public static Language Parse(ReadOnlySpan<char> text)
    {
        if (Check(text) is { } reason)
        {
            SyntaxThrow.Format(SyntaxKind.Language, reason, text);
        }

        return new Language(text.ToString());
    }

    /// <summary>Parses a language tag strictly (well-formed and no repeated variant or extension) from UTF-8 bytes.</summary>
    /// <exception cref="SyntaxFormatException">The bytes are not a valid language tag.</exception>
    public static Language Parse(ReadOnlySpan<byte> utf8)
    {
        if (Check(utf8) is { } reason)
        {
            SyntaxThrow.Format(SyntaxKind.Language, reason, utf8);
        }

        return new Language(SyntaxChars.ToAsciiString(utf8));
    }

    /// <summary>Parses a language tag strictly (well-formed and no repeated variant or extension) without throwing, keeping <paramref name="text"/> as the value.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out Language result)
    {
        if (text is not null && Check<char>(text) is null)
        {
            result = new Language(text);
            return true;
        }

        result = default;
        return false;
    }

    /// <summary>Parses a language tag strictly (well-formed and no repeated variant or extension) from UTF-16 text without throwing.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out Language result)
    {
        if (Check(text) is null)
        {
            result = new Language(text.ToString());
            return true;
        }

        result = default;
        return false;
    }

    /// <summary>Parses a language tag strictly (well-formed and no repeated variant or extension) from UTF-8 bytes without throwing.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out Language result)
    {
        if (Check(utf8) is null)
        {
            result = new Language(SyntaxChars.ToAsciiString(utf8));
            return true;
        }

        result = default;
        return false;
    }

    /// <summary>Whether the text is a valid language tag; allocates nothing.</summary>
    public static bool IsValid(ReadOnlySpan<char> text) => Check(text) is null;

    /// <summary>Whether the UTF-8 bytes are a valid language tag; allocates nothing.</summary>
    public static bool IsValid(ReadOnlySpan<byte> utf8) => Check(utf8) is null;
}
