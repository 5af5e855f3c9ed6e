using RecordKv.Nats;

namespace RecordKv.Ingester;

internal sealed partial class IngestSession
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(10);

    private async Task SaveCursorLoopAsync(CancellationToken cancellationToken)
    {
        var lastProgress = TimeProvider.System.GetTimestamp();
        try
        {
            while (true)
            {
                await Task.Delay(_options.CursorSaveInterval, cancellationToken).ConfigureAwait(false);
                try
                {
                    await SaveCursorAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (NatsException e)
                {
                    Log.CursorSaveFailed(_logger, e);
                }

                if (TimeProvider.System.GetElapsedTime(lastProgress) >= ProgressInterval)
                {
                    lastProgress = TimeProvider.System.GetTimestamp();
                    Log.Progress(_logger, _stats.Read, _stats.Acked, _stats.DuplicateAcks, _stats.Retries, _stats.GapFreeCursor, _stats.RelayConnections, _stats.IsPaused);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task WatchBacklogAsync(CancellationToken cancellationToken)
    {
        var paused = false;
        try
        {
            while (true)
            {
                await Task.Delay(_options.BackpressureInterval, cancellationToken).ConfigureAwait(false);
                long backlog;
                try
                {
                    backlog = await BuilderBacklogAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (NatsException e)
                {
                    Log.BackpressureCheckFailed(_logger, e);
                    continue;
                }

                if (backlog > Interlocked.Read(ref _stats.MaxBacklog))
                {
                    Interlocked.Exchange(ref _stats.MaxBacklog, backlog);
                }

                if (!paused && backlog > _options.HighWaterMark)
                {
                    paused = true;
                    _gate.Close();
                    Interlocked.Increment(ref _stats.Pauses);
                    Log.Pausing(_logger, backlog, _options.HighWaterMark);
                }
                else if (paused && backlog < _options.LowWaterMark)
                {
                    paused = false;
                    _gate.Open();
                    Log.Resuming(_logger, backlog, _options.LowWaterMark);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            _gate.Open();
        }
    }

    /// <summary>The largest backlog (pending + delivered but unacknowledged) among the builder consumers; 0 when there are none.</summary>
    private async Task<long> BuilderBacklogAsync(CancellationToken cancellationToken)
    {
        var consumers = await _store.JetStream.ListConsumersAsync(_store.Names.FirehoseStream, cancellationToken).ConfigureAwait(false);
        long largest = 0;
        foreach (var consumer in consumers)
        {
            if (!consumer.Name.StartsWith(_options.BuilderConsumerPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var backlog = (long)Math.Min(consumer.NumPending, long.MaxValue / 2) + consumer.NumAckPending;
            largest = Math.Max(largest, backlog);
        }

        return largest;
    }
}
