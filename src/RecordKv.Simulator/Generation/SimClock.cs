using RecordKv.Atproto.Syntax;

namespace RecordKv.Simulator.Generation;

/// <summary>
/// Simulated time: TIDs (revs, record keys) and <c>time</c>/<c>createdAt</c> fields come from here, never from the
/// wall clock, so the same seed gives the same bytes. Every TID is one microsecond after the previous one, so TIDs
/// are unique and increasing across all accounts.
/// </summary>
internal sealed class SimClock
{
    /// <summary>Simulated time starts at 2025-01-01T00:00:00Z.</summary>
    public const long StartMicroseconds = 1_735_689_600_000_000;

    private readonly int _clockId;
    private long _micros = StartMicroseconds;
    private long _textMillis = -1;
    private string _text = string.Empty;

    public SimClock(int clockId)
    {
        _clockId = clockId;
    }

    public long Microseconds => _micros;

    /// <summary>Moves simulated time forward (events are spread out like real traffic).</summary>
    public void Advance(long microseconds) => _micros += Math.Max(1, microseconds);

    public Tid NextTid()
    {
        _micros++;
        return Tid.Create(_micros, _clockId);
    }

    /// <summary>The current time in the atproto datetime form (<c>2025-01-01T00:00:00.000Z</c>, millisecond precision).</summary>
    public string NowText()
    {
        // Several fields of one event, and often consecutive events, fall in the same millisecond.
        var millis = _micros / 1000;
        if (millis != _textMillis)
        {
            _text = FormatTime(_micros);
            _textMillis = millis;
        }

        return _text;
    }

    public static string FormatTime(long microseconds)
    {
        var time = DateTimeOffset.UnixEpoch.AddTicks(microseconds * 10).UtcDateTime;
        return string.Create(24, time, static (chars, value) =>
        {
            // yyyy-MM-ddTHH:mm:ss.fffZ, written by hand: the custom-format path was a visible share of generation.
            Digits(chars[..4], value.Year);
            chars[4] = '-';
            Digits(chars.Slice(5, 2), value.Month);
            chars[7] = '-';
            Digits(chars.Slice(8, 2), value.Day);
            chars[10] = 'T';
            Digits(chars.Slice(11, 2), value.Hour);
            chars[13] = ':';
            Digits(chars.Slice(14, 2), value.Minute);
            chars[16] = ':';
            Digits(chars.Slice(17, 2), value.Second);
            chars[19] = '.';
            Digits(chars.Slice(20, 3), value.Millisecond);
            chars[23] = 'Z';
        });
    }

    private static void Digits(Span<char> destination, int value)
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (char)('0' + (value % 10));
            value /= 10;
        }
    }
}
