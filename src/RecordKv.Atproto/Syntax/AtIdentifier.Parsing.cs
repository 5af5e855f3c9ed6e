using System.Diagnostics.CodeAnalysis;

namespace RecordKv.Atproto.Syntax;

// Parse/TryParse/IsValid over string, UTF-16 and UTF-8, all delegating to the one generic Check scanner.
public readonly partial record struct AtIdentifier
{
    /// <summary>Parses an AT identifier, keeping <paramref name="text"/> as the value without copying.</summary>
    /// <exception cref="SyntaxFormatException">The text is not a valid AT identifier (an AT identifier or a handle).</exception>
    public static AtIdentifier Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Check<char>(text) is { } reason)
        {
            SyntaxThrow.Format(SyntaxKind.AtIdentifier, reason, text);
        }

        return new AtIdentifier(text);
    }

    /// <summary>Parses an AT identifier from UTF-16 text.</summary>
    /// <exception cref="SyntaxFormatException">The text is not a valid AT identifier (an AT identifier or a handle).</exception>
    public static AtIdentifier Parse(ReadOnlySpan<char> text)
    {
        if (Check(text) is { } reason)
        {
            SyntaxThrow.Format(SyntaxKind.AtIdentifier, reason, text);
        }

        return new AtIdentifier(text.ToString());
    }

    /// <summary>Parses an AT identifier from UTF-8 bytes.</summary>
    /// <exception cref="SyntaxFormatException">The bytes are not a valid AT identifier (an AT identifier or a handle).</exception>
    public static AtIdentifier Parse(ReadOnlySpan<byte> utf8)
    {
        if (Check(utf8) is { } reason)
        {
            SyntaxThrow.Format(SyntaxKind.AtIdentifier, reason, utf8);
        }

        return new AtIdentifier(SyntaxChars.ToAsciiString(utf8));
    }

    /// <summary>Parses an AT identifier without throwing, keeping <paramref name="text"/> as the value.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out AtIdentifier result)
    {
        if (text is not null && Check<char>(text) is null)
        {
            result = new AtIdentifier(text);
            return true;
        }

        result = default;
        return false;
    }

    /// <summary>Parses an AT identifier from UTF-16 text without throwing.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out AtIdentifier result)
    {
        if (Check(text) is null)
        {
            result = new AtIdentifier(text.ToString());
            return true;
        }

        result = default;
        return false;
    }

    /// <summary>Parses an AT identifier from UTF-8 bytes without throwing.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out AtIdentifier result)
    {
        if (Check(utf8) is null)
        {
            result = new AtIdentifier(SyntaxChars.ToAsciiString(utf8));
            return true;
        }

        result = default;
        return false;
    }

    /// <summary>Whether the text is a valid AT identifier (an AT identifier or a handle); allocates nothing.</summary>
    public static bool IsValid(ReadOnlySpan<char> text) => Check(text) is null;

    /// <summary>Whether the UTF-8 bytes are a valid AT identifier (an AT identifier or a handle); allocates nothing.</summary>
    public static bool IsValid(ReadOnlySpan<byte> utf8) => Check(utf8) is null;
}
