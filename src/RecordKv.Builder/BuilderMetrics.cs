using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace RecordKv.Builder;

/// <summary>The builder's counters (meter <c>RecordKv.Builder</c>), also readable in-process for tests and progress.</summary>
public sealed class BuilderMetrics : IDisposable
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "RecordKv.Builder";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _events;
    private readonly Counter<long> _commits;
    private readonly Counter<long> _resyncs;
    private readonly ConcurrentDictionary<string, long> _rejections = new(StringComparer.Ordinal);
    private long _eventCount;
    private long _commitCount;
    private long _resyncCount;
    private long _recordWrites;
    private long _staleCount;
    private long _replayCount;
    private long _gapCount;
    private long _chainBreakCount;
    private long _resyncRetryCount;
    private long _resyncDeferredCount;
    private long _redeliveredCount;
    private readonly ConcurrentDictionary<int, long> _httpStatuses = new();

    /// <summary>Creates the counters and the meter.</summary>
    public BuilderMetrics()
    {
        _rejected = _meter.CreateCounter<long>("recordkv.builder.rejected", description: "Events rejected, by reason (the failed check).");
        _events = _meter.CreateCounter<long>("recordkv.builder.events", description: "Events processed and acknowledged.");
        _commits = _meter.CreateCounter<long>("recordkv.builder.commits", description: "Commits verified and applied.");
        _resyncs = _meter.CreateCounter<long>("recordkv.builder.resyncs", description: "Repositories resynchronized from their PDS.");
    }

    /// <summary>Events processed (any outcome).</summary>
    public long Events => Interlocked.Read(ref _eventCount);

    /// <summary>Commits verified and applied.</summary>
    public long Commits => Interlocked.Read(ref _commitCount);

    /// <summary>Resyncs completed.</summary>
    public long Resyncs => Interlocked.Read(ref _resyncCount);

    /// <summary>Record puts and deletes written.</summary>
    public long RecordWrites => Interlocked.Read(ref _recordWrites);

    /// <summary>Verified events skipped because the stored state is already past them (a resync carried the repository beyond them).</summary>
    public long Stale => Interlocked.Read(ref _staleCount);

    /// <summary>Verified events skipped as replays: their rev is not above one the same DID already showed on the stream.</summary>
    public long Replays => Interlocked.Read(ref _replayCount);

    /// <summary>Verified commits whose <c>since</c> shows the stream skipped a commit of the repository.</summary>
    public long Gaps => Interlocked.Read(ref _gapCount);

    /// <summary>Verified commits whose <c>prevData</c> did not match the stored <c>data</c> (each starts a resync).</summary>
    public long ChainBreaks => Interlocked.Read(ref _chainBreakCount);

    /// <summary>Resyncs retried (with backoff) after an earlier resync of the repository failed.</summary>
    public long ResyncRetries => Interlocked.Read(ref _resyncRetryCount);

    /// <summary>
    /// Commits that needed a resync while a retry of the repository's failed resync was already scheduled: left to that
    /// retry instead of fetching the repository once more each.
    /// </summary>
    public long ResyncsDeferred => Interlocked.Read(ref _resyncDeferredCount);

    /// <summary>Redelivered messages this builder had already processed (acked without processing them again).</summary>
    public long Redelivered => Interlocked.Read(ref _redeliveredCount);

    /// <summary>Retryable HTTP answers (429 and 5xx; 0 for network errors and timeouts) by status, from DID document and getRepo requests.</summary>
    public IReadOnlyDictionary<int, long> HttpRetryableAnswers => new Dictionary<int, long>(_httpStatuses);

    /// <summary>Rejections by reason so far.</summary>
    public IReadOnlyDictionary<string, long> Rejections => new Dictionary<string, long>(_rejections, StringComparer.Ordinal);

    /// <summary>Rejections of all reasons.</summary>
    public long RejectedTotal
    {
        get
        {
            long total = 0;
            foreach (var value in _rejections.Values)
            {
                total += value;
            }

            return total;
        }
    }

    internal void Rejected(string reason)
    {
        _rejections.AddOrUpdate(reason, 1, static (_, value) => value + 1);
        _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));
    }

    internal void EventProcessed()
    {
        Interlocked.Increment(ref _eventCount);
        _events.Add(1);
    }

    internal void CommitApplied(int writes)
    {
        Interlocked.Increment(ref _commitCount);
        Interlocked.Add(ref _recordWrites, writes);
        _commits.Add(1);
    }

    internal void ResyncDone(int writes)
    {
        Interlocked.Increment(ref _resyncCount);
        Interlocked.Add(ref _recordWrites, writes);
        _resyncs.Add(1);
    }

    internal void StaleSkipped() => Interlocked.Increment(ref _staleCount);

    internal void Replayed() => Interlocked.Increment(ref _replayCount);

    internal void GapDetected() => Interlocked.Increment(ref _gapCount);

    internal void ChainBroken() => Interlocked.Increment(ref _chainBreakCount);

    internal void ResyncRetried() => Interlocked.Increment(ref _resyncRetryCount);

    internal void ResyncDeferred() => Interlocked.Increment(ref _resyncDeferredCount);

    internal void RedeliverySkipped() => Interlocked.Increment(ref _redeliveredCount);

    internal void HttpRetryable(int status) => _httpStatuses.AddOrUpdate(status, 1, static (_, value) => value + 1);

    public void Dispose() => _meter.Dispose();
}
