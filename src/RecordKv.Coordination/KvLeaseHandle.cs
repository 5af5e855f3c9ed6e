using Microsoft.Extensions.Logging;
using RecordKv.Nats;
using RecordKv.Nats.KeyValue;

namespace RecordKv.Coordination;

/// <summary>A held lease: renews itself in the background; <see cref="Lost"/> fires the moment it can no longer be sure it holds it.</summary>
public sealed class KvLeaseHandle : IAsyncDisposable
{
    private readonly NatsKvStore _store;
    private readonly KvLeaseOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _lost;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewal;
    private ulong _revision;
    private int _disposed;

    internal KvLeaseHandle(NatsKvStore store, string key, string holderId, ulong revision, KvLeaseOptions options, ILogger logger, TimeProvider time)
    {
        _store = store;
        Key = key;
        HolderId = holderId;
        _revision = revision;
        _options = options;
        _logger = logger;
        _time = time;
        // The token cancels itself unless renewals keep landing: a holder cut off from NATS stops before a standby takes over.
        _lost = new CancellationTokenSource(LeaseOperations.SafeHoldTime(options), time);
        _renewal = Task.Run(RenewLoopAsync);
    }

    /// <summary>The lease key.</summary>
    public string Key { get; }

    /// <summary>The holder id written in the lease.</summary>
    public string HolderId { get; }

    /// <summary>The revision of the last successful write of the lease.</summary>
    public ulong Revision => Interlocked.Read(ref _revision);

    /// <summary>Cancelled when the lease is lost (taken over, or not renewed in time); work guarded by the lease must stop.</summary>
    public CancellationToken Lost => _lost.Token;

    /// <summary>Whether the lease is still held.</summary>
    public bool IsHeld => !_lost.IsCancellationRequested;

    /// <summary>Stops renewing and deletes the lease (if still ours) so a standby takes over at once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _renewal.ConfigureAwait(false);
        if (!_lost.IsCancellationRequested)
        {
            try
            {
                using var timeout = new CancellationTokenSource(_options.RenewInterval);
                await LeaseOperations.ReleaseAsync(_store, Key, Revision, timeout.Token).ConfigureAwait(false);
                Log.LeaseReleased(_logger, Key, HolderId);
            }
            catch (Exception e) when (e is NatsException or OperationCanceledException)
            {
                // The lease then simply expires.
                Log.LeaseReleaseFailed(_logger, Key, e);
            }
        }

        await _lost.CancelAsync().ConfigureAwait(false);
        _lost.Dispose();
        _stop.Dispose();
    }

    /// <summary>Stops renewing without releasing, as a crashed holder would (for tests).</summary>
    internal async Task AbandonAsync()
    {
        Interlocked.Exchange(ref _disposed, 1);
        await _stop.CancelAsync().ConfigureAwait(false);
        await _renewal.ConfigureAwait(false);
        await _lost.CancelAsync().ConfigureAwait(false);
    }

    private async Task RenewLoopAsync()
    {
        while (!_stop.IsCancellationRequested && !_lost.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.RenewInterval, _time, _stop.Token).ConfigureAwait(false);
                var sent = _time.GetTimestamp();
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, _lost.Token);
                var renewed = await LeaseOperations.TryRenewAsync(_store, Key, HolderId, _options.Ttl, Revision, _time, linked.Token).ConfigureAwait(false);
                if (renewed is not { } revision)
                {
                    Log.LeaseLost(_logger, Key, HolderId);
                    await _lost.CancelAsync().ConfigureAwait(false);
                    return;
                }

                Interlocked.Exchange(ref _revision, revision);
                var remaining = LeaseOperations.SafeHoldTime(_options) - _time.GetElapsedTime(sent);
                if (remaining > TimeSpan.Zero)
                {
                    _lost.CancelAfter(remaining);
                }
            }
            catch (OperationCanceledException)
            {
                if (_lost.IsCancellationRequested && !_stop.IsCancellationRequested)
                {
                    Log.LeaseLost(_logger, Key, HolderId);
                }

                return;
            }
            catch (NatsException e)
            {
                // Transient: try again next interval; the Lost timer decides when it is too late.
                Log.LeaseRenewFailed(_logger, Key, e);
            }
        }
    }
}
