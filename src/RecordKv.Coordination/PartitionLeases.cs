using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RecordKv.Contracts;
using RecordKv.Nats;
using RecordKv.Nats.JetStream;
using RecordKv.Nats.KeyValue;

namespace RecordKv.Coordination;

/// <summary>
/// Shares partitions among live members: each member heartbeats a membership key, computes its fair share from the live
/// member list, takes free or expired partition leases up to its share and releases those beyond it, every renew interval.
/// </summary>
/// <remarks>
/// The share is deterministic: members sorted by id, the first <c>n mod m</c> get one more. A newcomer therefore gets its
/// share within about two renew intervals (the others release on their next round, it takes on its following one), and a
/// dead member's partitions are taken once their leases expire.
/// </remarks>
public sealed class PartitionLeases : IAsyncDisposable
{
    private readonly NatsKvStore _store;
    private readonly PartitionLeasesOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Dictionary<int, HeldPartition> _held = [];
    private readonly ConcurrentQueue<(int Partition, CancellationToken Lease)> _stopped = new();
    private readonly Channel<PartitionLeaseChange> _changes;
    private readonly CancellationTokenSource _stop = new();
    private readonly string _memberKey;
    private ulong? _memberRevision;
    private Task? _loop;
    private volatile int[] _heldSnapshot = [];
    private int _share;
    private int _members;

    /// <summary>Creates a member; nothing is written until <see cref="StartAsync"/>.</summary>
    public PartitionLeases(NatsKvStore controlBucket, PartitionLeasesOptions options, ILogger? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(controlBucket);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PartitionCount, 1);
        ArgumentException.ThrowIfNullOrEmpty(options.MemberId);
        options.Lease.Validate();
        _store = controlBucket;
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        _memberKey = MemberKey(options.KeyPrefix, options.MemberId);
        // Each partition can change at most twice per round; a reader that falls that far behind stalls renewals, so it must keep up.
        _changes = Channel.CreateBounded<PartitionLeaseChange>(new BoundedChannelOptions(options.PartitionCount * 4) { SingleWriter = true });
    }

    /// <summary>Partitions gained and lost, in the order they happened.</summary>
    public ChannelReader<PartitionLeaseChange> Changes => _changes.Reader;

    /// <summary>The partitions held right now (a snapshot, ascending).</summary>
    public IReadOnlyList<int> HeldPartitions => _heldSnapshot;

    /// <summary>This member's current fair share.</summary>
    public int Share => Volatile.Read(ref _share);

    /// <summary>The number of live members seen in the last round.</summary>
    public int LiveMembers => Volatile.Read(ref _members);

    /// <summary>This member's id.</summary>
    public string MemberId => _options.MemberId;

    /// <summary>The key of a partition's lease under a prefix.</summary>
    public static string LeaseKey(string prefix, int partition) => $"{prefix}.lease.{partition}";

    /// <summary>The key of a member's heartbeat under a prefix.</summary>
    public static string MemberKey(string prefix, string memberId) => $"{prefix}.member.{KeyTokenEscaping.Escape(memberId)}";

    /// <summary>
    /// Joins the group: runs a first round (so partitions may already be held on return; one that fails or hangs is
    /// logged and left to the next round) and keeps rounds going.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_loop is not null)
        {
            throw new InvalidOperationException("Already started.");
        }

        // The first round is cut off and survives a failure like every later one: a key listing that never completed
        // here kept a builder from ever reaching its loop (one heartbeat written, no partition taken, the membership
        // expiring a TTL later) in the shutdown test on a loaded machine.
        try
        {
            await CutOffRoundAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NatsException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            Log.PartitionRoundFailed(_logger, _options.MemberId, e);
        }

        _loop = Task.Run(LoopAsync, CancellationToken.None);
    }

    /// <summary>
    /// Confirms that this member's work on a partition it was told to give up (with
    /// <see cref="PartitionLeasesOptions.ReleaseAfterStopConfirmed"/>) has stopped, so its lease is released at the next
    /// round; <paramref name="lease"/> is the token of that lost change (a confirmation of an earlier holding is ignored).
    /// Thread-safe.
    /// </summary>
    public void ConfirmStopped(int partition, CancellationToken lease) => _stopped.Enqueue((partition, lease));

    /// <summary>Leaves the group: releases every partition and the membership key so the others rebalance at once.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        foreach (var partition in _held.Keys.ToArray())
        {
            await GiveUpAsync(partition, release: true, "stopping", cancellationToken).ConfigureAwait(false);
        }

        PublishSnapshot();
        if (_memberRevision is { } revision)
        {
            try
            {
                await LeaseOperations.ReleaseAsync(_store, _memberKey, revision, cancellationToken).ConfigureAwait(false);
            }
            catch (NatsException)
            {
                // The heartbeat then expires.
            }
        }

        _changes.Writer.TryComplete();
    }

    /// <summary>Stops and releases (see <see cref="StopAsync"/>).</summary>
    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(_options.Lease.Ttl);
        try
        {
            await StopAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NatsException or OperationCanceledException)
        {
            // Leases expire on their own.
        }

        foreach (var held in _held.Values)
        {
            held.Lost.Dispose();
        }

        _stop.Dispose();
    }

    /// <summary>Stops heartbeating and renewing without releasing anything, as a crashed member would (for tests).</summary>
    internal async Task AbandonAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        foreach (var held in _held.Values)
        {
            await held.Lost.CancelAsync().ConfigureAwait(false);
        }

        _held.Clear();
        _memberRevision = null;
        PublishSnapshot();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.Lease.RenewInterval, _time, _stop.Token).ConfigureAwait(false);
                await CutOffRoundAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NatsException or OperationCanceledException)
            {
                Log.PartitionRoundFailed(_logger, _options.MemberId, e);
            }
        }
    }

    // A round that hangs (a request or key listing that never completes) must not stop the rounds for good: it is cut
    // off and the next one starts from what is stored (leases written meanwhile are ours by holder id, and a renewal
    // that did land shows as a lost lease, taken again later).
    private async Task CutOffRoundAsync(CancellationToken cancellationToken)
    {
        using var round = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        round.CancelAfter(RoundTimeout(_options.Lease));
        await RoundAsync(round.Token).ConfigureAwait(false);
    }

    /// <summary>How long one round may take before it is cut off: 8 renew intervals, at least 10 s.</summary>
    internal static TimeSpan RoundTimeout(KvLeaseOptions lease) => TimeSpan.FromTicks(Math.Max(lease.RenewInterval.Ticks * 8, TimeSpan.TicksPerSecond * 10));

    private async Task RoundAsync(CancellationToken cancellationToken)
    {
        await HeartbeatAsync(cancellationToken).ConfigureAwait(false);
        var members = await LiveMembersAsync(cancellationToken).ConfigureAwait(false);
        var index = members.BinarySearch(_options.MemberId, StringComparer.Ordinal);
        if (index < 0)
        {
            index = ~index;
            members.Insert(index, _options.MemberId);
        }

        var count = _options.PartitionCount;
        var share = (count / members.Count) + (index < count % members.Count ? 1 : 0);
        Volatile.Write(ref _share, share);
        Volatile.Write(ref _members, members.Count);

        await RenewHeldAsync(cancellationToken).ConfigureAwait(false);
        await ReleaseStoppedAsync(cancellationToken).ConfigureAwait(false);
        var keeping = _held.Where(held => !held.Value.Stopping).Select(held => held.Key).Order().ToArray();
        if (keeping.Length > share)
        {
            // Give up the highest partitions first so the choice is stable across rounds.
            foreach (var partition in keeping.Skip(share))
            {
                if (_options.ReleaseAfterStopConfirmed)
                {
                    await BeginStoppingAsync(partition, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await GiveUpAsync(partition, release: true, "rebalancing", cancellationToken).ConfigureAwait(false);
                }
            }
        }

        // Start looking at this member's "own" slice so members rarely contend for the same free lease.
        var start = (int)((long)index * count / members.Count);
        for (var i = 0; i < count && _held.Count < share; i++)
        {
            var partition = (start + i) % count;
            if (_held.ContainsKey(partition))
            {
                continue;
            }

            var attempt = await LeaseOperations.TryAcquireAsync(_store, LeaseKey(_options.KeyPrefix, partition), _options.MemberId, _options.Lease.Ttl, _time, cancellationToken).ConfigureAwait(false);
            if (attempt.Revision is { } revision)
            {
                var held = new HeldPartition(revision, new CancellationTokenSource(LeaseOperations.SafeHoldTime(_options.Lease), _time));
                _held[partition] = held;
                Log.PartitionGained(_logger, _options.MemberId, partition, share, members.Count);
                await _changes.Writer.WriteAsync(new PartitionLeaseChange(partition, true, held.Lost.Token), cancellationToken).ConfigureAwait(false);
            }
        }

        PublishSnapshot();
    }

    private async Task HeartbeatAsync(CancellationToken cancellationToken)
    {
        var value = new LeaseRecord(_options.MemberId, LeaseOperations.NowUnixMs(_time) + (long)_options.Lease.Ttl.TotalMilliseconds).Encode();
        _memberRevision = await _store.PutAsync(_memberKey, value, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private async Task<List<string>> LiveMembersAsync(CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        await foreach (var key in _store.GetKeysAsync($"{_options.KeyPrefix}.member.*", cancellationToken).ConfigureAwait(false))
        {
            keys.Add(key);
        }

        var now = LeaseOperations.NowUnixMs(_time);
        var members = new List<string>(keys.Count);
        foreach (var key in keys)
        {
            var entry = await _store.GetAsync(key, cancellationToken).ConfigureAwait(false);
            if (entry is null)
            {
                continue;
            }

            var record = LeaseRecord.Decode(entry.Value.Span);
            if (record.IsExpired(now))
            {
                if (record.IsExpired(now - (long)_options.Lease.Ttl.TotalMilliseconds))
                {
                    // Dead for over a TTL: tidy its key away (CAS, so a member that just came back is not removed).
                    await LeaseOperations.ReleaseAsync(_store, key, entry.Revision, cancellationToken).ConfigureAwait(false);
                }

                continue;
            }

            // A key listing that races a heartbeat returns the same key twice (the ordered consumer delivers the put
            // made while it lists); a member counted twice would shrink every share and make the members give
            // partitions up and take them back each round. (This branch once also deleted such a live member's key:
            // the others then saw it vanish and come back every few rounds and never settled on their shares.)
            if (record.Holder.Length > 0 && !members.Contains(record.Holder))
            {
                members.Add(record.Holder);
            }
        }

        members.Sort(StringComparer.Ordinal);
        return members;
    }

    private async Task RenewHeldAsync(CancellationToken cancellationToken)
    {
        foreach (var (partition, held) in _held.ToArray())
        {
            if (held.Lost.IsCancellationRequested)
            {
                await GiveUpAsync(partition, release: false, "not renewed in time", cancellationToken).ConfigureAwait(false);
                continue;
            }

            var sent = _time.GetTimestamp();
            var renewed = await LeaseOperations.TryRenewAsync(_store, LeaseKey(_options.KeyPrefix, partition), _options.MemberId, _options.Lease.Ttl, held.Revision, _time, cancellationToken).ConfigureAwait(false);
            if (renewed is not { } revision)
            {
                await GiveUpAsync(partition, release: false, "taken over", cancellationToken).ConfigureAwait(false);
                continue;
            }

            _held[partition] = held with { Revision = revision };
            var remaining = LeaseOperations.SafeHoldTime(_options.Lease) - _time.GetElapsedTime(sent);
            if (remaining > TimeSpan.Zero)
            {
                held.Lost.CancelAfter(remaining);
            }
        }
    }

    // Tells the member to stop working on the partition, keeping (and renewing) its lease until it confirms.
    private async Task BeginStoppingAsync(int partition, CancellationToken cancellationToken)
    {
        var held = _held[partition];
        _held[partition] = held with { Stopping = true };
        Log.PartitionStopping(_logger, _options.MemberId, partition);
        await _changes.Writer.WriteAsync(new PartitionLeaseChange(partition, false, held.Lost.Token), cancellationToken).ConfigureAwait(false);
    }

    // Releases the partitions whose work the member confirmed stopped.
    private async Task ReleaseStoppedAsync(CancellationToken cancellationToken)
    {
        while (_stopped.TryDequeue(out var stopped))
        {
            if (_held.TryGetValue(stopped.Partition, out var held) && held.Stopping && held.Lost.Token == stopped.Lease)
            {
                await GiveUpAsync(stopped.Partition, release: true, "rebalancing", cancellationToken, announce: false).ConfigureAwait(false);
            }
        }
    }

    private async Task GiveUpAsync(int partition, bool release, string reason, CancellationToken cancellationToken, bool announce = true)
    {
        if (!_held.Remove(partition, out var held))
        {
            return;
        }


        // Cancel first: work on the partition stops before another member can take it.
        await held.Lost.CancelAsync().ConfigureAwait(false);
        if (release)
        {
            try
            {
                await LeaseOperations.ReleaseAsync(_store, LeaseKey(_options.KeyPrefix, partition), held.Revision, cancellationToken).ConfigureAwait(false);
            }
            catch (NatsJetStreamException)
            {
                // It expires instead.
            }
        }

        Log.PartitionLost(_logger, _options.MemberId, partition, reason);
        if (announce)
        {
            _changes.Writer.TryWrite(new PartitionLeaseChange(partition, false, held.Lost.Token));
        }
    }

    private void PublishSnapshot()
    {
        var partitions = _held.Keys.ToArray();
        Array.Sort(partitions);
        _heldSnapshot = partitions;
    }

    private readonly record struct HeldPartition(ulong Revision, CancellationTokenSource Lost, bool Stopping = false);
}
