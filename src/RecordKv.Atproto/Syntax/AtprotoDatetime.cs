using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;

namespace RecordKv.Atproto.Syntax;

/// <summary>A Lexicon datetime (atproto.com/specs/lexicon#datetime): <c>YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)</c>,
/// the intersection of RFC 3339 and ISO 8601, checked for a real calendar time at or after 0000-01-01T00:00:00Z.</summary>
/// <remarks>The text is kept exactly as given because re-formatting would change record bytes and CIDs;
/// <see cref="UtcTicks"/> is the instant it names. Equality is ordinal on the text.</remarks>
public readonly record struct AtprotoDatetime
{
    /// <summary>The longest datetime accepted, in characters (the fraction may be long, not unbounded).</summary>
    public const int MaxLength = 64;

    private const int FractionStart = 19; // "YYYY-MM-DDTHH:MM:SS".Length
    private const long TicksPerSecond = TimeSpan.TicksPerSecond;

    // Ticks from 0000-01-01 (a leap year in the proleptic Gregorian calendar) to 0001-01-01, where DateTime starts.
    private const long YearZeroTicks = 366 * TimeSpan.TicksPerDay;

    private static ReadOnlySpan<int> DaysBeforeMonth => [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

    private readonly string? _value;
    private readonly long _utcTicks;

    private AtprotoDatetime(string value, long utcTicks)
    {
        _value = value;
        _utcTicks = utcTicks;
    }

    /// <summary>The datetime exactly as written.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>The instant in 100 ns ticks since 0001-01-01T00:00:00Z (negative within year 0); fraction digits
    /// past the seventh are truncated.</summary>
    public long UtcTicks => _utcTicks;

    /// <summary>Formats an instant in the preferred form, UTC with milliseconds: <c>1985-04-12T23:20:50.123Z</c>.</summary>
    public static AtprotoDatetime FromDateTimeOffset(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        var text = utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        return new AtprotoDatetime(text, utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMillisecond));
    }

    /// <summary>Whether the text has datetime syntax, without checking the calendar (month 13 passes here).</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> text) => CheckSyntax(text) is null;

    /// <summary>Whether the UTF-8 bytes have datetime syntax, without checking the calendar.</summary>
    public static bool IsWellFormed(ReadOnlySpan<byte> utf8) => CheckSyntax(utf8) is null;

    /// <summary>Whether the text is a valid datetime: syntax and calendar; allocates nothing.</summary>
    public static bool IsValid(ReadOnlySpan<char> text) => Check(text, out _) is null;

    /// <summary>Whether the UTF-8 bytes are a valid datetime: syntax and calendar; allocates nothing.</summary>
    public static bool IsValid(ReadOnlySpan<byte> utf8) => Check(utf8, out _) is null;

    /// <summary>Parses a datetime strictly (syntax and calendar), keeping <paramref name="text"/> as the value.</summary>
    /// <exception cref="SyntaxFormatException">The text is not a valid datetime.</exception>
    public static AtprotoDatetime Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Check<char>(text, out var ticks) is { } reason)
        {
            SyntaxThrow.Format(SyntaxKind.Datetime, reason, text);
        }

        return new AtprotoDatetime(text, ticks);
    }

    /// <summary>Parses a datetime strictly from UTF-16 text.</summary>
    /// <exception cref="SyntaxFormatException">The text is not a valid datetime.</exception>
    public static AtprotoDatetime Parse(ReadOnlySpan<char> text)
    {
        if (Check(text, out var ticks) is { } reason)
        {
            SyntaxThrow.Format(SyntaxKind.Datetime, reason, text);
        }

        return new AtprotoDatetime(text.ToString(), ticks);
    }

    /// <summary>Parses a datetime strictly from UTF-8 bytes.</summary>
    /// <exception cref="SyntaxFormatException">The bytes are not a valid datetime.</exception>
    public static AtprotoDatetime Parse(ReadOnlySpan<byte> utf8)
    {
        if (Check(utf8, out var ticks) is { } reason)
        {
            SyntaxThrow.Format(SyntaxKind.Datetime, reason, utf8);
        }

        return new AtprotoDatetime(SyntaxChars.ToAsciiString(utf8), ticks);
    }

    /// <summary>Parses a datetime strictly without throwing, keeping <paramref name="text"/> as the value.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out AtprotoDatetime datetime)
    {
        if (text is not null && Check<char>(text, out var ticks) is null)
        {
            datetime = new AtprotoDatetime(text, ticks);
            return true;
        }

        datetime = default;
        return false;
    }

    /// <summary>Parses a datetime strictly from UTF-16 text without throwing.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out AtprotoDatetime datetime)
    {
        if (Check(text, out var ticks) is null)
        {
            datetime = new AtprotoDatetime(text.ToString(), ticks);
            return true;
        }

        datetime = default;
        return false;
    }

    /// <summary>Parses a datetime strictly from UTF-8 bytes without throwing.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out AtprotoDatetime datetime)
    {
        if (Check(utf8, out var ticks) is null)
        {
            datetime = new AtprotoDatetime(SyntaxChars.ToAsciiString(utf8), ticks);
            return true;
        }

        datetime = default;
        return false;
    }

    /// <summary>The instant as a <see cref="DateTimeOffset"/> in UTC; false for year 0 or past year 9999, which it cannot hold.</summary>
    public bool TryGetDateTimeOffset(out DateTimeOffset time)
    {
        if (_utcTicks is >= 0 and <= 3155378975999999999) // DateTime.MaxValue.Ticks
        {
            time = new DateTimeOffset(_utcTicks, TimeSpan.Zero);
            return true;
        }

        time = default;
        return false;
    }

    /// <inheritdoc/>
    public override string ToString() => Value;

    private static string? Check<T>(ReadOnlySpan<T> text, out long utcTicks)
        where T : unmanaged, IBinaryInteger<T>
    {
        utcTicks = 0;
        if (CheckSyntax(text) is { } syntaxError)
        {
            return syntaxError;
        }

        var year = Number(text, 0, 4);
        var month = Number(text, 5, 2);
        var day = Number(text, 8, 2);
        var hour = Number(text, 11, 2);
        var minute = Number(text, 14, 2);
        var second = Number(text, 17, 2);
        var leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        if (month is < 1 or > 12)
        {
            return "month must be 01-12";
        }

        var daysInMonth = month == 2 ? (leap ? 29 : 28) : (month is 4 or 6 or 9 or 11 ? 30 : 31);
        if (day < 1 || day > daysInMonth)
        {
            return "day does not exist in that month";
        }

        if (hour > 23 || minute > 59)
        {
            return "hour must be 00-23 and minute 00-59";
        }

        // .NET, JavaScript and most stores cannot hold a leap second, so 60 is refused like 61.
        if (second > 59)
        {
            return "second must be 00-59";
        }

        var index = FractionStart;
        long fractionTicks = 0;
        if (SyntaxChars.Code(text[index]) == '.')
        {
            index++;
            var scale = TicksPerSecond / 10;
            for (; SyntaxChars.IsDigit(SyntaxChars.Code(text[index])); index++)
            {
                fractionTicks += (SyntaxChars.Code(text[index]) - '0') * scale;
                scale /= 10;
            }
        }

        long offsetMinutes = 0;
        if (SyntaxChars.Code(text[index]) != 'Z')
        {
            var offsetHours = Number(text, index + 1, 2);
            var offsetMinutePart = Number(text, index + 4, 2);
            if (offsetHours > 23 || offsetMinutePart > 59)
            {
                return "time-zone offset must be within ±23:59";
            }

            offsetMinutes = (offsetHours * 60) + offsetMinutePart;
            if (SyntaxChars.Code(text[index]) == '-')
            {
                offsetMinutes = -offsetMinutes;
            }
        }

        // Days since 0000-01-01: 365 per year plus one for each leap year before this one (year 0 included).
        long days = (365L * year) + ((year + 3) / 4) - ((year + 99) / 100) + ((year + 399) / 400)
            + DaysBeforeMonth[month - 1] + (leap && month > 2 ? 1 : 0) + (day - 1);
        var seconds = (days * 86400) + (hour * 3600) + (minute * 60) + second - (offsetMinutes * 60);
        if (seconds < 0)
        {
            return "is before 0000-01-01T00:00:00Z once converted to UTC";
        }

        utcTicks = (seconds * TicksPerSecond) + fractionTicks - YearZeroTicks;
        return null;
    }

    private static string? CheckSyntax<T>(ReadOnlySpan<T> text)
        where T : unmanaged, IBinaryInteger<T>
    {
        const string Shape = "must look like YYYY-MM-DDTHH:MM:SS[.fraction] followed by Z or ±HH:MM";
        if (text.Length > MaxLength)
        {
            return "longer than 64 characters";
        }

        if (text.Length < FractionStart + 1)
        {
            return Shape;
        }

        // Fixed positions of "YYYY-MM-DDTHH:MM:SS"; every other position is a digit.
        for (var index = 0; index < FractionStart; index++)
        {
            var c = SyntaxChars.Code(text[index]);
            var expected = index switch
            {
                4 or 7 => '-',
                10 => 'T',
                13 or 16 => ':',
                _ => '0',
            };
            if (expected == '0' ? !SyntaxChars.IsDigit(c) : c != expected)
            {
                return expected == 'T' && c == 't' ? "the date/time separator must be an uppercase 'T'" : Shape;
            }
        }

        var position = FractionStart;
        if (SyntaxChars.Code(text[position]) == '.')
        {
            position++;
            var digitsStart = position;
            while (position < text.Length && SyntaxChars.IsDigit(SyntaxChars.Code(text[position])))
            {
                position++;
            }

            if (position == digitsStart)
            {
                return "fractional seconds need at least one digit after '.'";
            }
        }

        if (position == text.Length)
        {
            return "a time zone (Z or ±HH:MM) is required";
        }

        var zone = SyntaxChars.Code(text[position]);
        if (zone == 'Z')
        {
            return position + 1 == text.Length ? null : Shape;
        }

        if (zone == 'z')
        {
            return "the UTC designator must be an uppercase 'Z'";
        }

        if (zone is not ('+' or '-')
            || text.Length - position != 6
            || !SyntaxChars.IsDigit(SyntaxChars.Code(text[position + 1]))
            || !SyntaxChars.IsDigit(SyntaxChars.Code(text[position + 2]))
            || SyntaxChars.Code(text[position + 3]) != ':'
            || !SyntaxChars.IsDigit(SyntaxChars.Code(text[position + 4]))
            || !SyntaxChars.IsDigit(SyntaxChars.Code(text[position + 5])))
        {
            return "a time zone must be Z or ±HH:MM";
        }

        if (zone == '-' && Number(text, position + 1, 2) == 0 && Number(text, position + 4, 2) == 0)
        {
            return "the offset -00:00 is not allowed (ISO 8601)";
        }

        return null;
    }

    private static int Number<T>(ReadOnlySpan<T> text, int start, int digits)
        where T : unmanaged, IBinaryInteger<T>
    {
        var value = 0;
        for (var index = start; index < start + digits; index++)
        {
            value = (value * 10) + (SyntaxChars.Code(text[index]) - '0');
        }

        return value;
    }
}
