using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RecordKv.Nats.KeyValue;

namespace RecordKv.Coordination;

/// <summary>
/// A singleton lease on one key of the control bucket: acquired by KV create (or by CAS over an expired holder's revision),
/// renewed by CAS on the revision, released on clean shutdown. The value is a <see cref="LeaseRecord"/>.
/// </summary>
public sealed class KvLease
{
    private readonly NatsKvStore _store;
    private readonly KvLeaseOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates a lease on <paramref name="key"/> for <paramref name="holderId"/>; nothing is written until acquired.</summary>
    public KvLease(NatsKvStore store, string key, string holderId, KvLeaseOptions? options = null, ILogger? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentException.ThrowIfNullOrEmpty(holderId);
        _store = store;
        Key = key;
        HolderId = holderId;
        _options = options ?? new KvLeaseOptions();
        _options.Validate();
        _logger = logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The control-bucket key of the lease.</summary>
    public string Key { get; }

    /// <summary>Who this instance is, as written in the lease value.</summary>
    public string HolderId { get; }

    /// <summary>Tries once to acquire the lease; returns the held lease, or null when another live holder has it.</summary>
    public async Task<KvLeaseHandle?> TryAcquireAsync(CancellationToken cancellationToken = default)
    {
        var attempt = await LeaseOperations.TryAcquireAsync(_store, Key, HolderId, _options.Ttl, _time, cancellationToken).ConfigureAwait(false);
        if (attempt.Revision is not { } revision)
        {
            return null;
        }

        Log.LeaseAcquired(_logger, Key, HolderId, revision);
        return new KvLeaseHandle(_store, Key, HolderId, revision, _options, _logger, _time);
    }

    /// <summary>Waits until the lease is acquired (a standby polls every renew interval and takes over once the holder's expiry has passed).</summary>
    public async Task<KvLeaseHandle> AcquireAsync(CancellationToken cancellationToken = default)
    {
        var loggedWaiting = false;
        while (true)
        {
            var attempt = await LeaseOperations.TryAcquireAsync(_store, Key, HolderId, _options.Ttl, _time, cancellationToken).ConfigureAwait(false);
            if (attempt.Revision is { } revision)
            {
                Log.LeaseAcquired(_logger, Key, HolderId, revision);
                return new KvLeaseHandle(_store, Key, HolderId, revision, _options, _logger, _time);
            }

            if (!loggedWaiting && attempt.Blocker is { } blocker)
            {
                Log.LeaseWaiting(_logger, Key, blocker.Holder);
                loggedWaiting = true;
            }

            var wait = _options.RenewInterval;
            if (attempt.Blocker is { } live)
            {
                // Wake right after the holder's expiry when that comes sooner than the next poll.
                var untilExpiry = TimeSpan.FromMilliseconds(live.ExpiresUnixMs - LeaseOperations.NowUnixMs(_time) + 1);
                if (untilExpiry > TimeSpan.Zero && untilExpiry < wait)
                {
                    wait = untilExpiry;
                }
            }

            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }
}
