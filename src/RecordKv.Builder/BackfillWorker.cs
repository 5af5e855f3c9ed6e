using System.Text.Json;
using Microsoft.Extensions.Logging;
using RecordKv.Coordination;
using RecordKv.Nats.JetStream;

namespace RecordKv.Builder;

/// <summary>
/// Consumes the backfill jobs of the partitions its builder holds (<c>kv-backfill-&lt;p&gt;</c> on the BACKFILL work
/// queue), at most <see cref="BackfillOptions.MaxConcurrentJobs"/> at once, pausing a partition while its live
/// consumer lags, and writes its progress to the control bucket. Partitions follow the builder's leases: a lost
/// partition's running jobs are cancelled unacked and redelivered to its new holder.
/// </summary>
internal sealed class BackfillWorker : IAsyncDisposable
{
    private readonly Dictionary<int, (CancellationTokenSource Stop, Task Run)> _partitions = [];
    private readonly BuilderRuntime _runtime;
    private readonly BackfillOptions _options;
    private readonly RecordKvStore _store;
    private readonly AtprotoHttp _http;
    private readonly BackfillJobRunner _runner;
    private readonly SemaphoreSlim _slots;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop;
    private readonly Task _run;

    private BackfillWorker(BuilderRuntime runtime, BuilderOptions builderOptions, BackfillOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        _runtime = runtime;
        _options = options;
        _store = runtime.RecordKvStore;
        _logger = logger;
        _slots = new SemaphoreSlim(options.MaxConcurrentJobs);

        // Backfill has its own HTTP client so its per-host limit never starves the live resyncs of requests.
        _http = new AtprotoHttp(builderOptions with { MaxConcurrentRequestsPerHost = options.MaxConcurrentRequestsPerHost }, logger);
        _runner = new BackfillJobRunner(builderOptions, runtime.Store, runtime.Identities, _http, runtime.DidGate, runtime.Metrics, logger);
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _run = Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);
    }

    /// <summary>This builder's progress per run (also written to the control bucket).</summary>
    public BackfillProgressCounters Progress { get; } = new();

    /// <summary>Starts consuming the backfill jobs of whatever partitions <paramref name="runtime"/> consumes, until disposed or cancelled.</summary>
    public static BackfillWorker Start(BuilderRuntime runtime, BuilderOptions builderOptions, BackfillOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new BackfillWorker(runtime, builderOptions, options, logger, cancellationToken);
    }

    /// <summary>Stops every partition's consumer (running jobs are cancelled and redelivered later), writes the progress and releases the HTTP client.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _run.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
        _http.Dispose();
        _slots.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var owned = _runtime.Partitions;
                foreach (var partition in owned)
                {
                    if (!_partitions.ContainsKey(partition))
                    {
                        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                        _partitions[partition] = (stop, Task.Run(() => RunPartitionAsync(partition, stop.Token), CancellationToken.None));
                    }
                }

                foreach (var partition in _partitions.Keys.ToList())
                {
                    if (!owned.Contains(partition))
                    {
                        await StopPartitionAsync(partition).ConfigureAwait(false);
                    }
                }

                await FlushProgressAsync(cancellationToken).ConfigureAwait(false);
                await Task.Delay(_options.PollInterval, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            foreach (var partition in _partitions.Keys.ToList())
            {
                await StopPartitionAsync(partition).ConfigureAwait(false);
            }

            await FlushProgressAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task FlushProgressAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Progress.FlushAsync(_store.Control, _runtime.InstanceId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Log.BackfillProgressFailed(_logger, exception);
        }
    }

    private async Task StopPartitionAsync(int partition)
    {
        if (_partitions.Remove(partition, out var running))
        {
            await running.Stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await running.Run.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            running.Stop.Dispose();
        }
    }

    private async Task RunPartitionAsync(int partition, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await ConsumePartitionAsync(partition, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                Log.BackfillPartitionFailed(_logger, partition, exception);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task ConsumePartitionAsync(int partition, CancellationToken cancellationToken)
    {
        var names = _store.Names;
        var name = BackfillQueue.ConsumerName(partition);
        var consumer = await _store.JetStream.CreateConsumerAsync(
            names.BackfillStream,
            new ConsumerConfig
            {
                DurableName = name,
                FilterSubject = names.BackfillSubject(partition),
                AckPolicy = ConsumerAckPolicy.Explicit,
                AckWait = _options.AckWait,
                MaxDeliver = _options.MaxDeliver,
                MaxAckPending = _options.MaxConcurrentJobs,
            },
            cancellationToken).ConfigureAwait(false);
        Log.BackfillPartitionStarted(_logger, partition, name);

        var running = new List<Task>();
        var liveChecked = DateTimeOffset.MinValue;
        try
        {
            await foreach (var message in consumer.ConsumeAsync(new NatsJetStreamConsumeOptions { MaxMessages = _options.MaxConcurrentJobs, Expires = TimeSpan.FromSeconds(5) }, cancellationToken).ConfigureAwait(false))
            {
                if (DateTimeOffset.UtcNow - liveChecked > TimeSpan.FromSeconds(2))
                {
                    await WaitForLiveAsync(partition, message, cancellationToken).ConfigureAwait(false);
                    liveChecked = DateTimeOffset.UtcNow;
                }

                await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
                running.RemoveAll(static task => task.IsCompleted);
                running.Add(Task.Run(() => HandleAsync(message, cancellationToken), CancellationToken.None));
            }
        }
        finally
        {
            // Cancelled jobs are not acked: JetStream redelivers them to whoever holds the partition next.
            await Task.WhenAll(running).ConfigureAwait(false);
        }
    }

    // Backfill runs behind live events: while the partition's live consumer lags, its jobs wait (kept alive).
    private async Task WaitForLiveAsync(int partition, NatsJsMsg message, CancellationToken cancellationToken)
    {
        var paused = false;
        while (true)
        {
            long pending;
            try
            {
                var info = await _store.JetStream.GetConsumerInfoAsync(_store.Names.FirehoseStream, PartitionWorker.ConsumerName(partition), cancellationToken).ConfigureAwait(false);
                pending = (long)info.NumPending;
            }
            catch (NatsJetStreamNotFoundException)
            {
                return;
            }

            if (pending <= _options.LiveLagThreshold)
            {
                return;
            }

            if (!paused)
            {
                Log.BackfillPaused(_logger, partition, pending);
                paused = true;
            }

            await message.InProgressAsync(cancellationToken).ConfigureAwait(false);
            await Task.Delay(_options.PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task HandleAsync(NatsJsMsg message, CancellationToken cancellationToken)
    {
        try
        {
            BackfillJob job;
            try
            {
                job = BackfillQueue.DecodeJob(message.Data.Span);
            }
            catch (JsonException exception)
            {
                Log.BackfillJobMalformed(_logger, message.Subject, exception.Message);
                await message.TermAsync(cancellationToken).ConfigureAwait(false);
                return;
            }

            using var heartbeat = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var keepAlive = KeepAliveAsync(message, heartbeat.Token);
            BackfillJobResult result;
            try
            {
                result = await _runner.RunAsync(job, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await heartbeat.CancelAsync().ConfigureAwait(false);
                await keepAlive.ConfigureAwait(false);
            }

            if (result.Outcome == BackfillOutcome.Failed)
            {
                Log.BackfillJobFailed(_logger, job.Did, job.Run, result.Error);
            }
            else
            {
                Log.BackfillJobDone(_logger, job.Did, job.Run, result.Outcome, result.Written, result.Deleted);
            }

            await message.AckAsync(cancellationToken).ConfigureAwait(false);
            Progress.Record(job.Run, result);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            // A store or NATS failure, not a bad repository: leave the job for redelivery.
            Log.BackfillJobError(_logger, message.Subject, exception);
            try
            {
                await message.NakAsync(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception nakFailure) when (nakFailure is not OperationCanceledException || cancellationToken.IsCancellationRequested)
            {
            }
        }
        finally
        {
            _slots.Release();
        }
    }

    private async Task KeepAliveAsync(NatsJsMsg message, CancellationToken cancellationToken)
    {
        var interval = _options.AckWait / 3;
        try
        {
            while (true)
            {
                await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
                await message.InProgressAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception exception) when (exception is Nats.NatsException)
        {
            // The ack wait then runs out and the job is redelivered: wasteful, never wrong.
        }
    }
}
