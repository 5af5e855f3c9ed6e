using RecordKv.Nats.JetStream;
using RecordKv.Nats.KeyValue;

namespace RecordKv.Coordination;

/// <summary>The compare-and-set steps every lease is made of: acquire (create, or take over an expired one), renew, release.</summary>
internal static class LeaseOperations
{
    /// <summary>The outcome of one acquire attempt: the revision written, or the live record that blocked it.</summary>
    internal readonly record struct AcquireAttempt(ulong? Revision, LeaseRecord? Blocker);

    public static long NowUnixMs(TimeProvider time) => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Tries once to take the lease: creates it when absent or deleted, or replaces an expired one (or our own) by CAS on the revision read.</summary>
    public static async Task<AcquireAttempt> TryAcquireAsync(NatsKvStore store, string key, string holder, TimeSpan ttl, TimeProvider time, CancellationToken cancellationToken)
    {
        var entry = await store.GetEntryAsync(key, cancellationToken).ConfigureAwait(false);
        var now = NowUnixMs(time);
        var value = new LeaseRecord(holder, now + (long)ttl.TotalMilliseconds).Encode();
        try
        {
            if (entry is null || entry.Operation != NatsKvOperation.Put)
            {
                return new AcquireAttempt(await store.CreateAsync(key, value, cancellationToken: cancellationToken).ConfigureAwait(false), null);
            }

            var current = LeaseRecord.Decode(entry.Value.Span);
            if (current.Holder != holder && !current.IsExpired(now))
            {
                return new AcquireAttempt(null, current);
            }

            return new AcquireAttempt(await store.UpdateAsync(key, value, entry.Revision, cancellationToken: cancellationToken).ConfigureAwait(false), null);
        }
        catch (NatsJetStreamWrongLastSequenceException)
        {
            // Another contender wrote first: it holds the lease now.
            return new AcquireAttempt(null, null);
        }
    }

    /// <summary>Extends a held lease by CAS on its revision; null when someone else wrote the key (the lease is lost).</summary>
    public static async Task<ulong?> TryRenewAsync(NatsKvStore store, string key, string holder, TimeSpan ttl, ulong revision, TimeProvider time, CancellationToken cancellationToken)
    {
        var value = new LeaseRecord(holder, NowUnixMs(time) + (long)ttl.TotalMilliseconds).Encode();
        try
        {
            return await store.UpdateAsync(key, value, revision, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (NatsJetStreamWrongLastSequenceException)
        {
            return null;
        }
    }

    /// <summary>Deletes a held lease so a standby need not wait for its expiry; a lease already taken over is left alone.</summary>
    public static async Task ReleaseAsync(NatsKvStore store, string key, ulong revision, CancellationToken cancellationToken)
    {
        try
        {
            await store.DeleteAsync(key, revision, cancellationToken).ConfigureAwait(false);
        }
        catch (NatsJetStreamWrongLastSequenceException)
        {
        }
    }

    /// <summary>How long after a renewal was sent the holder must consider the lease gone: a margin before the TTL others use.</summary>
    public static TimeSpan SafeHoldTime(KvLeaseOptions options)
    {
        var margin = TimeSpan.FromTicks(Math.Min(options.RenewInterval.Ticks / 2, options.Ttl.Ticks / 4));
        return options.Ttl - margin;
    }
}
