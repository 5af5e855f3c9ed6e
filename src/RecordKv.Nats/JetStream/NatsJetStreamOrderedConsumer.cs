using System.Runtime.CompilerServices;

namespace RecordKv.Nats.JetStream;

/// <summary>
/// An ordered consumer: an ephemeral pull consumer without acks that yields a stream's messages strictly in order, exactly
/// once; on a gap in consumer sequences, a deleted consumer, missed heartbeats or a lost server it recreates the consumer
/// from the last stream sequence it yielded.
/// </summary>
public sealed class NatsJetStreamOrderedConsumer
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(2);

    private readonly NatsJetStreamContext _context;
    private readonly string _stream;
    private readonly NatsOrderedConsumerOptions _options;

    internal NatsJetStreamOrderedConsumer(NatsJetStreamContext context, string stream, NatsOrderedConsumerOptions options)
    {
        _context = context;
        _stream = stream;
        _options = options;
    }

    /// <summary>How many times the consumer was recreated.</summary>
    public int Resets { get; private set; }

    /// <summary>The info of the consumer currently in use (its <c>num_pending</c> at creation says how much precedes live data).</summary>
    public ConsumerInfo? CurrentInfo { get; private set; }

    /// <summary>Yields the messages in order until cancelled.</summary>
    public async IAsyncEnumerable<NatsJsMsg> ConsumeAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var msg in ConsumeCoreAsync(yieldCreated: false, cancellationToken).ConfigureAwait(false))
        {
            yield return msg!;
        }
    }

    /// <summary>As <see cref="ConsumeAsync"/>; with <paramref name="yieldCreated"/> a null is yielded each time a consumer is created, so callers can act on <see cref="CurrentInfo"/> before any message arrives.</summary>
    internal async IAsyncEnumerable<NatsJsMsg?> ConsumeCoreAsync(bool yieldCreated, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ulong lastStreamSequence = 0;
        var consumeOptions = new NatsJetStreamConsumeOptions
        {
            MaxMessages = _options.MaxMessages,
            Expires = _options.Expires,
            IdleHeartbeat = _options.IdleHeartbeat,
        };
        while (true)
        {
            var info = await CreateAsync(lastStreamSequence, cancellationToken).ConfigureAwait(false);
            CurrentInfo = info;
            PullConsumeLoop? loop = null;
            try
            {
                // Inside the try: a caller that stops at this notice (an empty key listing does) still deletes the consumer.
                if (yieldCreated)
                {
                    yield return null;
                }

                loop = await StartLoopAsync(info.Name, consumeOptions, cancellationToken).ConfigureAwait(false);
                ulong expectedConsumerSequence = 1;
                while (loop is not null)
                {
                    var msg = await NextOrResetAsync(loop, cancellationToken).ConfigureAwait(false);
                    if (msg is null)
                    {
                        break;
                    }

                    var metadata = msg.Metadata;
                    if (metadata.ConsumerSequence != expectedConsumerSequence)
                    {
                        break; // a gap: recreate from the last sequence yielded
                    }

                    expectedConsumerSequence++;
                    lastStreamSequence = metadata.StreamSequence;
                    yield return msg;
                }
            }
            finally
            {
                if (loop is not null)
                {
                    await loop.DisposeAsync().ConfigureAwait(false);
                }

                await DeleteQuietlyAsync(info.Name).ConfigureAwait(false);
            }

            Resets++;
        }
    }

    private async Task<PullConsumeLoop?> StartLoopAsync(string name, NatsJetStreamConsumeOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return await PullConsumeLoop.StartAsync(_context, _stream, name, options, ordered: true, cancellationToken).ConfigureAwait(false);
        }
        catch (NatsException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private static async ValueTask<NatsJsMsg?> NextOrResetAsync(PullConsumeLoop loop, CancellationToken cancellationToken)
    {
        try
        {
            return await loop.NextAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OrderedConsumerResetException)
        {
            return null;
        }
    }

    private async Task<ConsumerInfo> CreateAsync(ulong lastStreamSequence, CancellationToken cancellationToken)
    {
        var config = new ConsumerConfig
        {
            AckPolicy = ConsumerAckPolicy.None,
            DeliverPolicy = lastStreamSequence == 0 ? _options.DeliverPolicy : ConsumerDeliverPolicy.ByStartSequence,
            OptStartSeq = lastStreamSequence == 0 ? _options.OptStartSeq : lastStreamSequence + 1,
            OptStartTime = lastStreamSequence == 0 ? _options.OptStartTime : null,
            FilterSubject = _options.FilterSubject,
            HeadersOnly = _options.HeadersOnly ? true : null,
            InactiveThreshold = _options.InactiveThreshold,
            MaxDeliver = 1,
            MemStorage = true,
            NumReplicas = 1,
            ReplayPolicy = ConsumerReplayPolicy.Instant,
        };
        var delay = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            try
            {
                return await _context.CreateConsumerInfoAsync(_stream, config, cancellationToken).ConfigureAwait(false);
            }
            catch (NatsException e) when (!cancellationToken.IsCancellationRequested && IsTransient(e))
            {
                // The server is restarting or the stream has no leader yet: try again with backoff.
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }
    }

    private static bool IsTransient(NatsException e) =>
        e is not NatsJetStreamException jetStream || jetStream.Code is 503 or 0 or >= 500 || jetStream.ErrorCode == 10008;

    private async Task DeleteQuietlyAsync(string name)
    {
        try
        {
            using var timeout = new CancellationTokenSource(_context.Options.RequestTimeout);
            await _context.DeleteConsumerAsync(_stream, name, timeout.Token).ConfigureAwait(false);
        }
        catch (NatsException)
        {
            // Best effort: an ephemeral consumer expires after its inactive threshold anyway.
        }
        catch (OperationCanceledException)
        {
        }
    }
}
