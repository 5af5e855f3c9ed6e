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
    public string NowText() => FormatTime(_micros);

    public static string FormatTime(long microseconds) =>
        DateTimeOffset.UnixEpoch.AddTicks(microseconds * 10).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
