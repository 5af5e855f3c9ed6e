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

    /// <summary>Events skipped by the rev guard (old or redelivered).</summary>
    public long Stale => Interlocked.Read(ref _staleCount);

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

    public void Dispose() => _meter.Dispose();
}
