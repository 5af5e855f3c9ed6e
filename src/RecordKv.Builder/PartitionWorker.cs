using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using RecordKv.Contracts;
using RecordKv.Nats.JetStream;

namespace RecordKv.Builder;

/// <summary>
/// Consumes one partition through its durable pull consumer <c>kv-builder-&lt;p&gt;</c>: each message goes to the lane
/// of its DID (so one DID's events run strictly in order, different DIDs in parallel over a bounded number of lanes)
/// and is acked only after its effects are written.
/// </summary>
internal sealed class PartitionWorker
{
    private readonly int _partition;
    private readonly BuilderOptions _options;
    private readonly StoreNames _names;
    private readonly NatsJetStreamContext _jetStream;
    private readonly EventProcessor _processor;
    private readonly BackfillDidGate _didGate;
    private readonly ILogger _logger;

    public PartitionWorker(int partition, BuilderOptions options, StoreNames names, NatsJetStreamContext jetStream, EventProcessor processor, BackfillDidGate didGate, ILogger logger)
    {
        _didGate = didGate;
        _partition = partition;
        _options = options;
        _names = names;
        _jetStream = jetStream;
        _processor = processor;
        _logger = logger;
    }

    /// <summary>The consumer name of a partition.</summary>
    public static string ConsumerName(int partition) => string.Create(CultureInfo.InvariantCulture, $"kv-builder-{partition}");

    /// <summary>Runs until cancelled (the lease is lost or the service stops), restarting the consumer after failures.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await ConsumeAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                Log.PartitionFailed(_logger, _partition, exception);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        Log.PartitionStopped(_logger, _partition);
    }

    private async Task ConsumeAsync(CancellationToken cancellationToken)
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
            cancellationToken).ConfigureAwait(false);
        Log.PartitionStarted(_logger, _partition, name);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var channels = new Channel<NatsJsMsg>[lanes];
        var tasks = new Task[lanes];
        for (var i = 0; i < lanes; i++)
        {
            channels[i] = Channel.CreateBounded<NatsJsMsg>(new BoundedChannelOptions(_options.LaneCapacity) { SingleReader = true, SingleWriter = true });
            tasks[i] = RunLaneAsync(channels[i].Reader, stop.Token);
        }

        try
        {
            await foreach (var message in consumer.ConsumeAsync(new NatsJetStreamConsumeOptions { MaxMessages = _options.PullBatch }, cancellationToken).ConfigureAwait(false))
            {
                var did = message.Headers?.GetLastValue(AtprotoHeaders.Did) ?? "";
                var lane = (int)((uint)StringComparer.Ordinal.GetHashCode(did) % (uint)lanes);
                var writing = channels[lane].Writer.WriteAsync(message, cancellationToken);
                if (!writing.IsCompleted)
                {
                    await writing.ConfigureAwait(false);
                }

                if (tasks[lane].IsCompleted)
                {
                    await tasks[lane].ConfigureAwait(false);
                }
            }
        }
        finally
        {
            foreach (var channel in channels)
            {
                channel.Writer.TryComplete();
            }

            // Unacked messages in the lanes are redelivered to whoever holds the partition next.
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await Task.WhenAll(tasks).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private async Task RunLaneAsync(ChannelReader<NatsJsMsg> reader, CancellationToken cancellationToken)
    {
        await foreach (var message in reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            var did = message.Headers?.GetLastValue(AtprotoHeaders.Did) ?? "";
            _ = long.TryParse(message.Headers?.GetLastValue(AtprotoHeaders.Seq), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seq);
            // A backfill job of this DID runs to its end first, so it never writes an older repository over this event.
            var entering = _didGate.EnterLiveAsync(did, cancellationToken);
            if (!entering.IsCompletedSuccessfully)
            {
                await entering.ConfigureAwait(false);
            }

            try
            {
                await _processor.ProcessAsync(message.Data, did, seq, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception exception)
            {
                // A store or network failure, not a bad event: leave it for redelivery instead of acking.
                Log.ProcessingFailed(_logger, seq, did, exception);
                await message.NakAsync(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
                continue;
            }
            finally
            {
                _didGate.ExitLive(did);
            }

            await message.AckAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
