using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using RecordKv.Contracts;
using RecordKv.Nats;
using RecordKv.Nats.JetStream;

namespace RecordKv.Builder;

/// <summary>
/// Consumes one partition through its durable pull consumer <c>kv-builder-&lt;p&gt;</c>: each message goes to the lane
/// of its DID (so one DID's events run strictly in order, different DIDs in parallel over a bounded number of lanes)
/// and is acked only after its effects are written. Messages waiting in a lane are kept alive with in-progress acks
/// (a slow resync ahead of them does not make them redeliver), a redelivery this worker already processed is acked
/// without processing it twice, and repositories a resync could not bring back are retried with backoff.
/// </summary>
internal sealed class PartitionWorker
{
    private readonly int _partition;
    private readonly BuilderOptions _options;
    private readonly StoreNames _names;
    private readonly NatsJetStreamContext _jetStream;
    private readonly EventProcessor _processor;
    private readonly BuilderStore _store;
    private readonly BuilderMetrics _metrics;
    private readonly BackfillDidGate _didGate;
    private readonly ILogger _logger;
    private readonly ResyncRetrySchedule _retries;
    private readonly ConcurrentDictionary<NatsJsMsg, long> _unacked = new();
    private readonly RecentSequences _processed = new(16_384);

    // Events a lane applies before it flushes even with more waiting: bounds what a failed flush sends back.
    private const int MaxPendingPerLane = 64;

    public PartitionWorker(int partition, BuilderOptions options, StoreNames names, NatsJetStreamContext jetStream, EventProcessor processor, BuilderStore store, BuilderMetrics metrics, BackfillDidGate didGate, ILogger logger)
    {
        _didGate = didGate;
        _partition = partition;
        _options = options;
        _names = names;
        _jetStream = jetStream;
        _processor = processor;
        _store = store;
        _metrics = metrics;
        _logger = logger;
        _retries = new ResyncRetrySchedule(options.ResyncRetryMinDelay, options.ResyncRetryMaxDelay);
    }

    /// <summary>Repositories of this partition waiting for a resync retry.</summary>
    public int PendingResyncRetries => _retries.Pending;

    /// <summary>The consumer name of a partition.</summary>
    public static string ConsumerName(int partition) => string.Create(CultureInfo.InvariantCulture, $"kv-builder-{partition}");

    /// <summary>Runs until cancelled (the lease is lost or the service stops), restarting the consumer after failures.</summary>
    /// <param name="cancellationToken">Stops the partition at once: events being processed are cancelled.</param>
    public Task RunAsync(CancellationToken cancellationToken) => RunAsync(cancellationToken, cancellationToken);

    /// <summary>
    /// Runs until <paramref name="stopping"/> (the partition is given up): no more events are taken, the events the lanes
    /// are in finish (written and acked) and the others go back to JetStream. <paramref name="abort"/> (the lease is
    /// lost, or the drain took too long) cancels the events being processed too.
    /// </summary>
    public async Task RunAsync(CancellationToken stopping, CancellationToken abort)
    {
        try
        {
            while (!stopping.IsCancellationRequested && !abort.IsCancellationRequested)
            {
                try
                {
                    // Fresh caches each time: after a failure (a repo state another builder changed, say) the states are read again.
                    _processor.OpenPartition(_partition);
                    await ConsumeAsync(stopping, abort).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested || abort.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception exception)
                {
                    if (exception is RepoStateConflictException conflict)
                    {
                        Log.RepoStateConflict(_logger, _partition, conflict.Did);
                    }
                    else
                    {
                        Log.PartitionFailed(_logger, _partition, exception);
                    }

                    try
                    {
                        await Task.Delay(TimeSpan.FromSeconds(1), stopping).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }
            }
        }
        finally
        {
            // Another builder may own these DIDs from now on: their cached states must not outlive the lease.
            _processor.ClosePartition(_partition);
            Log.PartitionStopped(_logger, _partition);
        }
    }

    private static int LaneOf(string did, int lanes) => (int)((uint)StringComparer.Ordinal.GetHashCode(did) % (uint)lanes);

    private async Task ConsumeAsync(CancellationToken stopping, CancellationToken abort)
    {
        var name = ConsumerName(_partition);
        var lanes = Math.Max(1, _options.LanesPerPartition);
        var consumer = await _jetStream.CreateConsumerAsync(
            _names.FirehoseStream,
            new ConsumerConfig
            {
                DurableName = name,
                FilterSubject = _names.FirehoseSubject(_partition),
                AckPolicy = ConsumerAckPolicy.Explicit,
                AckWait = _options.AckWait,
                MaxAckPending = Math.Max(_options.PullBatch * 2, lanes * _options.LaneCapacity * 2),
            },
            stopping).ConfigureAwait(false);
        Log.PartitionStarted(_logger, _partition, name);

        // Three levels: `feeding` stops taking messages (the partition is given up, or a lane failed), `draining` stops
        // the lanes between events, `cancel` cancels the events being processed (lease lost, drain too long).
        using var feeding = CancellationTokenSource.CreateLinkedTokenSource(stopping, abort);
        using var draining = CancellationTokenSource.CreateLinkedTokenSource(stopping, abort);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(abort);
        var channels = new Channel<LaneItem>[lanes];
        var tasks = new Task[lanes];
        for (var i = 0; i < lanes; i++)
        {
            channels[i] = Channel.CreateBounded<LaneItem>(new BoundedChannelOptions(_options.LaneCapacity) { SingleReader = true, SingleWriter = false });
            tasks[i] = RunLaneAsync(channels[i].Reader, feeding, draining.Token, cancel.Token);
        }

        var keepAlive = KeepUnackedAliveAsync(cancel.Token);
        var retries = FeedRetriesAsync(channels, draining.Token);
        try
        {
            await foreach (var message in consumer.ConsumeAsync(new NatsJetStreamConsumeOptions { MaxMessages = _options.PullBatch }, feeding.Token).ConfigureAwait(false))
            {
                var did = message.Headers?.GetLastValue(AtprotoHeaders.Did) ?? "";
                var lane = LaneOf(did, lanes);
                _unacked[message] = Stopwatch.GetTimestamp();
                var writing = channels[lane].Writer.WriteAsync(new LaneItem(message, null), feeding.Token);
                if (!writing.IsCompleted)
                {
                    await writing.ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (feeding.IsCancellationRequested && !stopping.IsCancellationRequested && !abort.IsCancellationRequested)
        {
            // A lane failed: its exception is rethrown below.
        }
        finally
        {
            foreach (var channel in channels)
            {
                channel.Writer.TryComplete();
            }

            // The lanes finish the events they are in (so nothing of this holder is written after its lease is
            // released), within the drain timeout; the messages still queued are redelivered to whoever holds the
            // partition next.
            await draining.CancelAsync().ConfigureAwait(false);
            var lanesDone = Task.WhenAll(tasks);
            try
            {
                await lanesDone.WaitAsync(_options.PartitionDrainTimeout, cancel.Token).ConfigureAwait(false);
            }
            catch (Exception) when (lanesDone.IsCompleted)
            {
                // A lane failed: rethrown below, once everything has stopped.
            }
            catch (Exception exception) when (exception is TimeoutException or OperationCanceledException)
            {
                Log.PartitionDrainCancelled(_logger, _partition, _options.PartitionDrainTimeout);
            }

            await cancel.CancelAsync().ConfigureAwait(false);
            try
            {
                await Task.WhenAll([keepAlive, retries]).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
            catch (ChannelClosedException)
            {
            }

            await ReleaseUnackedAsync().ConfigureAwait(false);
        }

        // A lane that failed ends the consumer; the caller restarts it from the stored state.
        await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    // A lane that fails stops the feeding, so the consumer ends instead of blocking on the failed lane's full channel.
    private async Task RunLaneAsync(ChannelReader<LaneItem> reader, CancellationTokenSource feeding, CancellationToken draining, CancellationToken cancellationToken)
    {
        try
        {
            await RunLaneCoreAsync(reader, draining, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (draining.IsCancellationRequested || cancellationToken.IsCancellationRequested)
        {
        }
        catch
        {
            await feeding.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    // A lane works through whatever its channel holds before making it durable: commits are applied with their record
    // writes published and their repo states held (PendingCommits); when the channel runs dry, or after
    // MaxPendingPerLane events, one flush waits for the record acknowledgements, writes each DID's latest state and
    // then acks every message. A backlog so costs two waits per batch instead of two per commit. Draining stops taking
    // events and flushes what the lane holds, so nothing of this holder is written after it gives the partition up.
    private async Task RunLaneCoreAsync(ChannelReader<LaneItem> reader, CancellationToken draining, CancellationToken cancellationToken)
    {
        var lane = new LaneBatch(new PendingCommits(_store));
        try
        {
            while (await WaitToReadAsync(reader, draining).ConfigureAwait(false))
            {
                while (!draining.IsCancellationRequested && reader.TryRead(out var item))
                {
                    if (item.Message is not { } message)
                    {
                        await CompleteAsync(lane, cancellationToken).ConfigureAwait(false);
                        await RetryAsync(item.RetryDid!, cancellationToken).ConfigureAwait(false);
                        continue;
                    }

                    await HandleAsync(lane, message, cancellationToken).ConfigureAwait(false);
                    if (lane.Done.Count >= MaxPendingPerLane)
                    {
                        await CompleteAsync(lane, cancellationToken).ConfigureAwait(false);
                    }
                }

                await CompleteAsync(lane, cancellationToken).ConfigureAwait(false);
            }

            await CompleteAsync(lane, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Stopping: what is not acked is redelivered (ReleaseUnackedAsync naks it); the gate must not stay entered.
            lane.ExitLive(_didGate);
        }
    }

    // False once the channel is completed or the lane is draining.
    private static async ValueTask<bool> WaitToReadAsync(ChannelReader<LaneItem> reader, CancellationToken draining)
    {
        try
        {
            return await reader.WaitToReadAsync(draining).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (draining.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task HandleAsync(LaneBatch lane, NatsJsMsg message, CancellationToken cancellationToken)
    {
        var streamSequence = message.Metadata.StreamSequence;
        if (message.Metadata.NumDelivered > 1 && _processed.Contains(streamSequence))
        {
            _metrics.RedeliverySkipped();
            await AckAsync(message, cancellationToken).ConfigureAwait(false);
            return;
        }

        var did = message.Headers?.GetLastValue(AtprotoHeaders.Did) ?? "";
        _ = long.TryParse(message.Headers?.GetLastValue(AtprotoHeaders.Seq), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seq);

        // A backfill job of this DID runs to its end first, so it never writes an older repository over this event.
        // The lane stays entered for the DID until its batch is flushed; a job waiting for the DID (or its stripe)
        // gets it once this lane has flushed what it holds.
        var entering = _didGate.EnterLiveAsync(did, cancellationToken);
        if (!entering.IsCompletedSuccessfully)
        {
            await CompleteAsync(lane, cancellationToken).ConfigureAwait(false);
            await entering.ConfigureAwait(false);
        }

        lane.Live.Add(did);
        bool desynchronized;
        try
        {
            desynchronized = await _processor.ProcessAsync(message.Data, did, seq, lane.Pending, _retries.IsScheduled(did), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception) when (exception is not RepoStateConflictException)
        {
            // A store or network failure, not a bad event: leave it for redelivery instead of acking. What the lane
            // held before it is flushed; the DID's track is forgotten so the redelivery is judged against the store.
            Log.ProcessingFailed(_logger, seq, did, exception);
            await CompleteAsync(lane, cancellationToken).ConfigureAwait(false);
            _store.Forget(did);
            _unacked.TryRemove(message, out _);
            await message.NakAsync(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            return;
        }

        lane.Done.Add((message, streamSequence));
        if (desynchronized)
        {
            ScheduleRetry(did, force: false);
        }
        else if (did.Length > 0)
        {
            _retries.Clear(did);
        }
    }

    // Makes what the lane holds durable (record acks, then repo states), then acks its messages and leaves the gate.
    // A failed flush naks every held message and forgets the held DIDs' tracks: the redeliveries are judged against
    // whatever the store ended up with, which the rev guard and the chain check make safe.
    private async Task CompleteAsync(LaneBatch lane, CancellationToken cancellationToken)
    {
        try
        {
            try
            {
                await lane.Pending.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Log.ProcessingFailed(_logger, 0, "(lane batch)", exception);
                lane.Pending.Abandon();
                if (exception is RepoStateConflictException)
                {
                    // Another holder wrote the partition's states: this lane stops, and the consumer with it.
                    throw;
                }

                foreach (var (message, _) in lane.Done)
                {
                    _unacked.TryRemove(message, out _);
                    await message.NakAsync(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
                }

                lane.Done.Clear();
                return;
            }

            foreach (var (message, streamSequence) in lane.Done)
            {
                _processed.Add(streamSequence);
                await AckAsync(message, cancellationToken).ConfigureAwait(false);
            }

            lane.Done.Clear();
        }
        finally
        {
            lane.ExitLive(_didGate);
        }
    }

    // Messages this worker holds but did not finish go back to JetStream at once (nak without delay), so the next
    // holder gets them before anything newer instead of after AckWait. Best effort: unacked ones redeliver anyway.
    private async Task ReleaseUnackedAsync()
    {
        // In stream order, so the next holder is likely to get a DID's events back in their order.
        var unacked = _unacked.Keys.ToArray();
        Array.Sort(unacked, static (a, b) => a.Metadata.StreamSequence.CompareTo(b.Metadata.StreamSequence));
        foreach (var message in unacked)
        {
            try
            {
                await message.NakAsync(null, CancellationToken.None).ConfigureAwait(false);
            }
            catch (NatsException)
            {
                break;
            }
        }

        _unacked.Clear();
    }

    private async Task RetryAsync(string did, CancellationToken cancellationToken)
    {
        bool desynchronized;
        try
        {
            desynchronized = await _processor.RetryResyncAsync(did, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception)
        {
            Log.ProcessingFailed(_logger, 0, did, exception);
            desynchronized = true;
        }

        if (desynchronized)
        {
            ScheduleRetry(did, force: true);
        }
        else
        {
            _retries.Clear(did);
        }
    }

    private void ScheduleRetry(string did, bool force)
    {
        if (_retries.Schedule(did, force) is { } next)
        {
            Log.ResyncRetryScheduled(_logger, did, next.Attempt, next.Delay);
        }
    }

    private async ValueTask AckAsync(NatsJsMsg message, CancellationToken cancellationToken)
    {
        _unacked.TryRemove(message, out _);
        await message.AckAsync(cancellationToken).ConfigureAwait(false);
    }

    // Hands due resync retries to the DIDs' lanes, behind whatever those lanes already hold.
    private async Task FeedRetriesAsync(Channel<LaneItem>[] channels, CancellationToken cancellationToken)
    {
        var period = TimeSpan.FromTicks(Math.Clamp(_options.ResyncRetryMinDelay.Ticks / 4, TimeSpan.TicksPerMillisecond * 50, TimeSpan.TicksPerSecond));
        using var timer = new PeriodicTimer(period);
        var due = new List<string>();
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            due.Clear();
            _retries.TakeDue(due);
            foreach (var did in due)
            {
                await channels[LaneOf(did, channels.Length)].Writer.WriteAsync(new LaneItem(null, did), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    // Tells JetStream that messages waiting in a lane (behind a slow resync, say) are still being worked on, so they
    // are not redelivered after AckWait while this worker still holds them.
    private async Task KeepUnackedAliveAsync(CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond * 100, _options.AckWait.Ticks / 3));
        var threshold = (long)(interval.TotalSeconds * Stopwatch.Frequency);
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            var now = Stopwatch.GetTimestamp();
            foreach (var (message, since) in _unacked)
            {
                if (now - since < threshold)
                {
                    continue;
                }

                try
                {
                    await message.InProgressAsync(cancellationToken).ConfigureAwait(false);
                    _unacked.TryUpdate(message, now, since);
                }
                catch (NatsException)
                {
                    // Disconnected: the message may be redelivered, which the lane recognises.
                }
            }
        }
    }
}
