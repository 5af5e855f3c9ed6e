using System.Collections.Concurrent;

namespace RecordKv.Builder;

/// <summary>
/// Keeps a backfill job and live events of the same DID from running at the same time in one builder, so a job
/// never writes an older repository over a commit a lane is applying. Live events pass without allocating or
/// locking while no job holds their DID; a job waits until no live event of its DID's stripe is in flight, and live
/// events of a held DID wait until the job is done.
/// </summary>
/// <remarks>
/// Live side: increment the stripe's in-flight count, then look for a holder. Job side: register the holder, then
/// wait for the stripe to drain. Both orders are full fences (Interlocked), so at least one side sees the other.
/// </remarks>
internal sealed class BackfillDidGate
{
    private const int StripeCount = 1024;
    private readonly int[] _liveInFlight = new int[StripeCount];
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _held = new(StringComparer.Ordinal);
    private int _heldCount;

    /// <summary>How often a job re-checks that the live events of its stripe have finished.</summary>
    public TimeSpan DrainPollInterval { get; init; } = TimeSpan.FromMilliseconds(2);

    /// <summary>Enters for one live event; pair with <see cref="ExitLive"/>. Waits while a backfill job holds the DID.</summary>
    public ValueTask EnterLiveAsync(string did, CancellationToken cancellationToken)
    {
        var stripe = StripeOf(did);
        Interlocked.Increment(ref _liveInFlight[stripe]);
        if (Volatile.Read(ref _heldCount) == 0 || !_held.TryGetValue(did, out var holder))
        {
            return ValueTask.CompletedTask;
        }

        Interlocked.Decrement(ref _liveInFlight[stripe]);
        return WaitThenEnterLiveAsync(did, stripe, holder, cancellationToken);
    }

    /// <summary>Leaves after a live event.</summary>
    public void ExitLive(string did) => Interlocked.Decrement(ref _liveInFlight[StripeOf(did)]);

    /// <summary>Holds the DID for a backfill job until the returned lease is disposed; waits for in-flight live events and other jobs of the DID.</summary>
    public async Task<BackfillDidLease> EnterBackfillAsync(string did, CancellationToken cancellationToken)
    {
        var mine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        while (!_held.TryAdd(did, mine))
        {
            if (_held.TryGetValue(did, out var other))
            {
                await other.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        Interlocked.Increment(ref _heldCount);
        var lease = new BackfillDidLease(this, did, mine);
        try
        {
            var stripe = StripeOf(did);
            while (Volatile.Read(ref _liveInFlight[stripe]) != 0)
            {
                await Task.Delay(DrainPollInterval, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            lease.Dispose();
            throw;
        }

        return lease;
    }

    /// <summary>Whether a backfill job holds the DID now.</summary>
    public bool IsHeld(string did) => _held.ContainsKey(did);

    internal void Release(string did, TaskCompletionSource holder)
    {
        if (_held.TryRemove(new KeyValuePair<string, TaskCompletionSource>(did, holder)))
        {
            Interlocked.Decrement(ref _heldCount);
            holder.TrySetResult();
        }
    }

    private async ValueTask WaitThenEnterLiveAsync(string did, int stripe, TaskCompletionSource holder, CancellationToken cancellationToken)
    {
        while (true)
        {
            await holder.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _liveInFlight[stripe]);
            if (!_held.TryGetValue(did, out var next))
            {
                return;
            }

            Interlocked.Decrement(ref _liveInFlight[stripe]);
            holder = next;
        }
    }

    private static int StripeOf(string did) => (int)((uint)StringComparer.Ordinal.GetHashCode(did) % StripeCount);
}
