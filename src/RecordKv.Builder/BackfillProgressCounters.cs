using System.Collections.Concurrent;
using RecordKv.Contracts;
using RecordKv.Coordination;
using RecordKv.Nats.KeyValue;

namespace RecordKv.Builder;

/// <summary>
/// This builder's progress per backfill run, written to <c>backfill.progress.&lt;run&gt;.&lt;instance&gt;</c> (one writer
/// per key, so plain puts) for <c>recordkv backfill</c> to sum.
/// </summary>
internal sealed class BackfillProgressCounters
{
    private readonly ConcurrentDictionary<string, RunCounters> _runs = new(StringComparer.Ordinal);

    /// <summary>Counts one finished job of <paramref name="runId"/>.</summary>
    public void Record(string runId, BackfillJobResult result)
    {
        var counters = _runs.GetOrAdd(runId, static _ => new RunCounters());
        switch (result.Outcome)
        {
            case BackfillOutcome.Synchronized:
            case BackfillOutcome.Inactive:
                Interlocked.Increment(ref counters.Done);
                break;
            case BackfillOutcome.Skipped:
                Interlocked.Increment(ref counters.Skipped);
                break;
            default:
                Interlocked.Increment(ref counters.Errors);
                break;
        }

        Interlocked.Add(ref counters.Records, result.Written);
        Interlocked.Add(ref counters.Deleted, result.Deleted);
        Interlocked.Increment(ref counters.Version);
    }

    /// <summary>The counts of one run so far.</summary>
    public BackfillProgress Snapshot(string runId) => _runs.TryGetValue(runId, out var counters) ? counters.ToProgress() : new BackfillProgress();

    /// <summary>Writes the runs that changed since the last flush.</summary>
    public async Task FlushAsync(NatsKvStore control, string instanceId, CancellationToken cancellationToken)
    {
        foreach (var (runId, counters) in _runs)
        {
            var version = Interlocked.Read(ref counters.Version);
            if (version == counters.FlushedVersion)
            {
                continue;
            }

            await control.PutAsync(ControlKeys.BackfillProgress(runId, instanceId), BackfillQueue.EncodeProgress(counters.ToProgress()), cancellationToken: cancellationToken).ConfigureAwait(false);
            counters.FlushedVersion = version;
        }
    }

    private sealed class RunCounters
    {
        public long Done;
        public long Errors;
        public long Skipped;
        public long Records;
        public long Deleted;
        public long Version;
        public long FlushedVersion;

        public BackfillProgress ToProgress() => new()
        {
            Done = Interlocked.Read(ref Done),
            Errors = Interlocked.Read(ref Errors),
            Skipped = Interlocked.Read(ref Skipped),
            Records = Interlocked.Read(ref Records),
            Deleted = Interlocked.Read(ref Deleted),
        };
    }
}
