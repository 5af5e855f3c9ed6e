using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RecordKv.Atproto.Syntax;

/// <summary>ASCII character classes over UTF-16 chars or UTF-8 bytes, so one scanner serves both encodings.</summary>
/// <remarks>Every atproto identifier format is ASCII-only: a non-ASCII char or a UTF-8 lead/continuation byte
/// (0x80 and above) falls outside every class here, so the scanners reject it without decoding.</remarks>
internal static class SyntaxChars
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Code<T>(T unit)
        where T : unmanaged, IBinaryInteger<T> => int.CreateTruncating(unit);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsDigit(int c) => (uint)(c - '0') <= 9;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsLower(int c) => (uint)(c - 'a') <= 'z' - 'a';

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsLetter(int c) => (uint)((c | 0x20) - 'a') <= 'z' - 'a';

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsLetterOrDigit(int c) => IsLetter(c) || IsDigit(c);

    /// <summary>Whether every unit of <paramref name="text"/> is in the set (vectorized through <see cref="SearchValues"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AllIn<T>(ReadOnlySpan<T> text, SearchValues<char> chars, SearchValues<byte> bytes)
        where T : unmanaged, IBinaryInteger<T>
    {
        if (typeof(T) == typeof(char))
        {
            return MemoryMarshal.Cast<T, char>(text).IndexOfAnyExcept(chars) < 0;
        }

        return MemoryMarshal.Cast<T, byte>(text).IndexOfAnyExcept(bytes) < 0;
    }

    /// <summary>Returns the index of the first <paramref name="ch"/> at or after <paramref name="start"/>, or -1.</summary>
    public static int IndexOf<T>(ReadOnlySpan<T> text, char ch, int start)
        where T : unmanaged, IBinaryInteger<T>
    {
        var found = text[start..].IndexOf(T.CreateTruncating(ch));
        return found < 0 ? -1 : start + found;
    }

    /// <summary>Turns an already validated ASCII span into a string.</summary>
    public static string ToAsciiString<T>(ReadOnlySpan<T> text)
        where T : unmanaged, IBinaryInteger<T>
    {
        if (typeof(T) == typeof(char))
        {
            return new string(MemoryMarshal.Cast<T, char>(text));
        }

        return System.Text.Encoding.ASCII.GetString(MemoryMarshal.Cast<T, byte>(text));
    }
}
