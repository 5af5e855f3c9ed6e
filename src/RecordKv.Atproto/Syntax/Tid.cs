using System.Diagnostics.CodeAnalysis;
using System.Numerics;

namespace RecordKv.Atproto.Syntax;

/// <summary>A timestamp identifier (atproto.com/specs/tid): 64 bits written as 13 base32-sortable characters.</summary>
/// <remarks>Layout: the top bit 0, 53 bits of microseconds since the Unix epoch, 10 bits of clock identifier.
/// Sorting the values sorts the strings. The syntax accepts a first character up to <c>j</c>, as the spec's
/// grammar does, so a value with the top bit set still parses and round-trips.</remarks>
public readonly record struct Tid : IComparable<Tid>
{
    /// <summary>The length of a TID string.</summary>
    public const int Length = 13;

    /// <summary>The largest timestamp (microseconds since the Unix epoch) a TID holds.</summary>
    public const long MaxTimestamp = (1L << 53) - 1;

    /// <summary>The largest clock identifier a TID holds.</summary>
    public const int MaxClockId = 1023;

    private const string Alphabet = "234567abcdefghijklmnopqrstuvwxyz";

    private readonly ulong _value;

    private Tid(ulong value) => _value = value;

    /// <summary>The 64-bit integer the TID encodes.</summary>
    public ulong Value => _value;

    /// <summary>Microseconds since the Unix epoch.</summary>
    public long Timestamp => (long)((_value >> 10) & MaxTimestamp);

    /// <summary>The clock identifier (0–1023) that keeps TIDs made in the same microsecond apart.</summary>
    public int ClockId => (int)(_value & MaxClockId);

    /// <summary>The timestamp as a UTC time (microsecond precision).</summary>
    public DateTimeOffset Time => DateTimeOffset.UnixEpoch.AddTicks(Timestamp * 10);

    /// <summary>Makes a TID from a timestamp in microseconds since the Unix epoch and a clock identifier.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A part is out of its range.</exception>
    public static Tid Create(long timestampMicroseconds, int clockId)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(timestampMicroseconds);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(timestampMicroseconds, MaxTimestamp);
        ArgumentOutOfRangeException.ThrowIfNegative(clockId);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(clockId, MaxClockId);
        return new Tid(((ulong)timestampMicroseconds << 10) | (uint)clockId);
    }

    /// <summary>Makes a TID from its 64-bit integer form.</summary>
    public static Tid FromValue(ulong value) => new(value);

    /// <summary>Parses a 13-character TID.</summary>
    /// <exception cref="SyntaxFormatException">The text is not a valid TID.</exception>
    public static Tid Parse(ReadOnlySpan<char> text)
    {
        if (Decode(text, out var value) is { } reason)
        {
            SyntaxThrow.Format(SyntaxKind.Tid, reason, text);
        }

        return new Tid(value);
    }

    /// <summary>Parses a 13-byte UTF-8 TID.</summary>
    /// <exception cref="SyntaxFormatException">The bytes are not a valid TID.</exception>
    public static Tid Parse(ReadOnlySpan<byte> utf8)
    {
        if (Decode(utf8, out var value) is { } reason)
        {
            SyntaxThrow.Format(SyntaxKind.Tid, reason, utf8);
        }

        return new Tid(value);
    }

    /// <summary>Parses a TID without throwing.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out Tid tid) => TryParse(text.AsSpan(), out tid) && text is not null;

    /// <summary>Parses a TID without throwing.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out Tid tid)
    {
        var ok = Decode(text, out var value) is null;
        tid = new Tid(value);
        return ok;
    }

    /// <summary>Parses a UTF-8 TID without throwing.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out Tid tid)
    {
        var ok = Decode(utf8, out var value) is null;
        tid = new Tid(value);
        return ok;
    }

    /// <summary>Whether the text is a valid TID.</summary>
    public static bool IsValid(ReadOnlySpan<char> text) => Decode(text, out _) is null;

    /// <summary>Whether the UTF-8 bytes are a valid TID.</summary>
    public static bool IsValid(ReadOnlySpan<byte> utf8) => Decode(utf8, out _) is null;

    /// <inheritdoc/>
    public int CompareTo(Tid other) => _value.CompareTo(other._value);

    /// <summary>Writes the 13 characters into <paramref name="destination"/>; false when it is too short.</summary>
    public bool TryFormat(Span<char> destination, out int charsWritten) => TryEncode(destination, out charsWritten);

    /// <summary>Writes the 13 UTF-8 bytes into <paramref name="destination"/>; false when it is too short.</summary>
    public bool TryFormat(Span<byte> destination, out int bytesWritten) => TryEncode(destination, out bytesWritten);

    /// <inheritdoc/>
    public override string ToString() => string.Create(Length, _value, static (chars, value) => new Tid(value).TryEncode(chars, out _));

    /// <summary>Compares two TIDs in time order.</summary>
    public static bool operator <(Tid left, Tid right) => left._value < right._value;

    /// <summary>Compares two TIDs in time order.</summary>
    public static bool operator >(Tid left, Tid right) => left._value > right._value;

    /// <summary>Compares two TIDs in time order.</summary>
    public static bool operator <=(Tid left, Tid right) => left._value <= right._value;

    /// <summary>Compares two TIDs in time order.</summary>
    public static bool operator >=(Tid left, Tid right) => left._value >= right._value;

    private bool TryEncode<T>(Span<T> destination, out int written)
        where T : unmanaged, IBinaryInteger<T>
    {
        if (destination.Length < Length)
        {
            written = 0;
            return false;
        }

        var value = _value;
        for (var index = Length - 1; index >= 0; index--)
        {
            destination[index] = T.CreateTruncating(Alphabet[(int)(value & 31)]);
            value >>= 5;
        }

        written = Length;
        return true;
    }

    private static string? Decode<T>(ReadOnlySpan<T> text, out ulong value)
        where T : unmanaged, IBinaryInteger<T>
    {
        value = 0;
        if (text.Length != Length)
        {
            return "must be exactly 13 characters";
        }

        for (var index = 0; index < Length; index++)
        {
            var c = SyntaxChars.Code(text[index]);
            int digit;
            if ((uint)(c - '2') <= 5)
            {
                digit = c - '2';
            }
            else if (SyntaxChars.IsLower(c))
            {
                digit = c - 'a' + 6;
            }
            else
            {
                value = 0;
                return "may contain only 2-7 and lowercase a-z (base32-sortable)";
            }

            // 13 characters carry 65 bits; the first may use only 4 of its 5 so the value fits 64 bits.
            if (index == 0 && digit > 15)
            {
                value = 0;
                return "first character must be one of 234567abcdefghij";
            }

            value = (value << 5) | (uint)digit;
        }

        return null;
    }
}
