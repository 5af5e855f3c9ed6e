using System.Diagnostics.CodeAnalysis;

namespace RecordKv.Atproto.Syntax;

// Parse/TryParse/IsValid over string, UTF-16 and UTF-8, all delegating to the one generic Check scanner.
public readonly partial record struct Handle
{
    /// <summary>Parses a handle, keeping <paramref name="text"/> as the value without copying.</summary>
    /// <exception cref="SyntaxFormatException">The text is not a valid handle.</exception>
    public static Handle Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Check<char>(text) is { } reason)
        {
            SyntaxThrow.Format(SyntaxKind.Handle, reason, text);
        }

        return new Handle(text);
    }

    /// <summary>Parses a handle from UTF-16 text.</summary>
    /// <exception cref="SyntaxFormatException">The text is not a valid handle.</exception>
    public static Handle Parse(ReadOnlySpan<char> text)
    {
        if (Check(text) is { } reason)
        {
            SyntaxThrow.Format(SyntaxKind.Handle, reason, text);
        }

        return new Handle(text.ToString());
    }

    /// <summary>Parses a handle from UTF-8 bytes.</summary>
    /// <exception cref="SyntaxFormatException">The bytes are not a valid handle.</exception>
    public static Handle Parse(ReadOnlySpan<byte> utf8)
    {
        if (Check(utf8) is { } reason)
        {
            SyntaxThrow.Format(SyntaxKind.Handle, reason, utf8);
        }

        return new Handle(SyntaxChars.ToAsciiString(utf8));
    }

    /// <summary>Parses a handle without throwing, keeping <paramref name="text"/> as the value.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out Handle result)
    {
        if (text is not null && Check<char>(text) is null)
        {
            result = new Handle(text);
            return true;
        }

        result = default;
        return false;
    }

    /// <summary>Parses a handle from UTF-16 text without throwing.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out Handle result)
    {
        if (Check(text) is null)
        {
            result = new Handle(text.ToString());
            return true;
        }

        result = default;
        return false;
    }

    /// <summary>Parses a handle from UTF-8 bytes without throwing.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out Handle result)
    {
        if (Check(utf8) is null)
        {
            result = new Handle(SyntaxChars.ToAsciiString(utf8));
            return true;
        }

        result = default;
        return false;
    }

    /// <summary>Whether the text is a valid handle; allocates nothing.</summary>
    public static bool IsValid(ReadOnlySpan<char> text) => Check(text) is null;

    /// <summary>Whether the UTF-8 bytes are a valid handle; allocates nothing.</summary>
    public static bool IsValid(ReadOnlySpan<byte> utf8) => Check(utf8) is null;
}
