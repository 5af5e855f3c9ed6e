namespace RecordKv.Builder;

/// <summary>
/// When each desynchronized repository of one partition is resynced again: jittered exponential backoff per DID from
/// <see cref="BuilderOptions.ResyncRetryMinDelay"/> up to <see cref="BuilderOptions.ResyncRetryMaxDelay"/>, without
/// end, so no repository stays desynchronized because no further event of it arrives.
/// </summary>
internal sealed class ResyncRetrySchedule
{
    private readonly Lock _sync = new();
    private readonly PriorityQueue<string, long> _queue = new();
    private readonly Dictionary<string, (int Attempt, long Due)> _scheduled = new(StringComparer.Ordinal);
    private readonly TimeSpan _minDelay;
    private readonly TimeSpan _maxDelay;
    private readonly TimeProvider _time;

    public ResyncRetrySchedule(TimeSpan minDelay, TimeSpan maxDelay, TimeProvider? time = null)
    {
        _minDelay = minDelay > TimeSpan.Zero ? minDelay : TimeSpan.FromMilliseconds(1);
        _maxDelay = maxDelay >= _minDelay ? maxDelay : _minDelay;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Repositories waiting for a retry (or being retried now).</summary>
    public int Pending
    {
        get
        {
            lock (_sync)
            {
                return _scheduled.Count;
            }
        }
    }

    /// <summary>The delay before attempt <paramref name="attempt"/> (1-based) without jitter.</summary>
    public TimeSpan BaseDelay(int attempt)
    {
        var factor = Math.Pow(2, Math.Min(attempt - 1, 30));
        var ticks = Math.Min(_maxDelay.Ticks, _minDelay.Ticks * factor);
        return TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>
    /// Schedules the next retry of a DID unless one is already scheduled (<paramref name="force"/>: the retry that just
    /// ran failed, so the next one is due). Returns the attempt number and its delay, or null when nothing was scheduled.
    /// </summary>
    public (int Attempt, TimeSpan Delay)? Schedule(string did, bool force)
    {
        lock (_sync)
        {
            var attempt = 1;
            if (_scheduled.TryGetValue(did, out var current))
            {
                if (!force)
                {
                    return null;
                }

                attempt = current.Attempt + 1;
            }

            // Jitter in [0.5, 1.5) spreads the retries of repositories that failed together (one PDS down).
            var delay = TimeSpan.FromTicks((long)(BaseDelay(attempt).Ticks * (0.5 + Random.Shared.NextDouble())));
            var due = _time.GetTimestamp() + (long)(delay.TotalSeconds * _time.TimestampFrequency);
            _scheduled[did] = (attempt, due);
            _queue.Enqueue(did, due);
            return (attempt, delay);
        }
    }

    /// <summary>Whether a retry of the DID is scheduled (or handed to its lane and not yet run).</summary>
    public bool IsScheduled(string did)
    {
        lock (_sync)
        {
            return _scheduled.ContainsKey(did);
        }
    }

    /// <summary>Forgets a DID: it is synchronized (or no longer worth retrying).</summary>
    public void Clear(string did)
    {
        lock (_sync)
        {
            _scheduled.Remove(did);
        }
    }

    /// <summary>Moves the DIDs whose retry is due into <paramref name="due"/>; they stay pending until cleared or rescheduled.</summary>
    public void TakeDue(List<string> due)
    {
        var now = _time.GetTimestamp();
        lock (_sync)
        {
            while (_queue.TryPeek(out var did, out var at) && at <= now)
            {
                _queue.Dequeue();
                // A queue entry superseded by a later schedule (or a clear) is skipped.
                if (_scheduled.TryGetValue(did, out var current) && current.Due == at)
                {
                    due.Add(did);
                }
            }
        }
    }
}
