namespace RecordKv.Atproto.Syntax;

/// <summary>Makes TIDs that strictly increase: never repeated and never earlier than one already made, even if the clock steps back.</summary>
/// <remarks>Thread-safe and lock-free. When the clock has not advanced past the last timestamp used, the next TID takes
/// the last timestamp plus one microsecond, so a burst runs slightly ahead of the wall clock and catches up later.</remarks>
public sealed class TidClock
{
    private readonly TimeProvider _timeProvider;
    private long _lastTimestamp = -1;

    /// <summary>Creates a clock reading <paramref name="timeProvider"/> (the system clock by default) with a clock
    /// identifier (random by default) that tells apart TIDs made by different clocks in the same microsecond.</summary>
    public TidClock(TimeProvider? timeProvider = null, int? clockId = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
        ClockId = clockId ?? Random.Shared.Next(Tid.MaxClockId + 1);
        ArgumentOutOfRangeException.ThrowIfNegative(ClockId, nameof(clockId));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ClockId, Tid.MaxClockId, nameof(clockId));
    }

    /// <summary>The clock identifier stamped into every TID this clock makes.</summary>
    public int ClockId { get; }

    /// <summary>Returns a TID later than every TID this clock has made or been told about.</summary>
    public Tid Next()
    {
        var now = (_timeProvider.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / 10;
        while (true)
        {
            var last = Volatile.Read(ref _lastTimestamp);
            var next = now > last ? now : last + 1;
            if (Interlocked.CompareExchange(ref _lastTimestamp, next, last) == last)
            {
                return Tid.Create(next, ClockId);
            }
        }
    }

    /// <summary>Makes every later <see cref="Next"/> return a TID after <paramref name="seen"/> (e.g. a repository's current rev).</summary>
    public void AdvancePast(Tid seen)
    {
        while (true)
        {
            var last = Volatile.Read(ref _lastTimestamp);
            if (seen.Timestamp <= last
                || Interlocked.CompareExchange(ref _lastTimestamp, seen.Timestamp, last) == last)
            {
                return;
            }
        }
    }
}
