using System.Text.Json;
using System.Threading.Channels;

namespace RecordKv.Nats.JetStream;

/// <summary>
/// Keeps a pull consumer's buffer primed: asks for <c>MaxMessages</c>, asks again for the difference when what is owed drops to
/// the threshold, accounts for expired requests (408 with pending counts), and re-issues the pulls when two heartbeats are
/// missed or the connection changes state (a restarted server has forgotten the waiting requests).
/// </summary>
internal sealed class PullConsumeLoop : IAsyncDisposable
{
    private readonly NatsJetStreamContext _context;
    private readonly string _stream;
    private readonly string _consumer;
    private readonly NatsJetStreamConsumeOptions _options;
    private readonly bool _ordered;
    private readonly NatsSubscription _subscription;
    private readonly string _inbox;
    private readonly string _nextSubject;
    private readonly TimeSpan _heartbeatTimeout;
    private readonly int _threshold;
    private long _pendingMessages;
    private long _pendingBytes;
    private int _resetRequested;
    private CancellationTokenSource? _wait;

    private PullConsumeLoop(NatsJetStreamContext context, string stream, string consumer, NatsJetStreamConsumeOptions options, bool ordered, NatsSubscription subscription, string inbox)
    {
        _context = context;
        _stream = stream;
        _consumer = consumer;
        _options = options;
        _ordered = ordered;
        _subscription = subscription;
        _inbox = inbox;
        _nextSubject = context.Subjects.ConsumerNext(stream, consumer);
        _heartbeatTimeout = options.EffectiveHeartbeat * 2;
        _threshold = options.EffectiveThreshold;
        context.Connection.ConnectionStateChanged += OnConnectionStateChanged;
    }

    public static async Task<PullConsumeLoop> StartAsync(NatsJetStreamContext context, string stream, string consumer, NatsJetStreamConsumeOptions options, bool ordered, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxMessages, 1);
        var inbox = context.Connection.NewInbox();
        // Room for every requested message plus status messages: pulls bound what the server sends, so nothing is dropped.
        var subscriptionOptions = new NatsSubscriptionOptions { Capacity = (options.MaxMessages * 2) + 64 };
        var subscription = await context.Connection.SubscribeAsync(inbox, options: subscriptionOptions, cancellationToken: cancellationToken).ConfigureAwait(false);
        var loop = new PullConsumeLoop(context, stream, consumer, options, ordered, subscription, inbox);
        await loop.PullAsync(cancellationToken).ConfigureAwait(false);
        return loop;
    }

    /// <summary>Returns the next message; in ordered mode throws <see cref="OrderedConsumerResetException"/> when the consumer must be recreated.</summary>
    public async ValueTask<NatsJsMsg> NextAsync(CancellationToken cancellationToken)
    {
        var reader = _subscription.Messages;
        while (true)
        {
            if (Interlocked.Exchange(ref _resetRequested, 0) == 1)
            {
                await ResetAsync(cancellationToken).ConfigureAwait(false);
            }

            if (!reader.TryRead(out var msg))
            {
                msg = await WaitAsync(reader, cancellationToken).ConfigureAwait(false);
                if (msg is null && Volatile.Read(ref _resetRequested) == 1)
                {
                    continue;
                }

                if (msg is null)
                {
                    // Two heartbeats missed: the server lost our requests (restart, leader change) or the consumer.
                    if (_ordered)
                    {
                        throw new OrderedConsumerResetException("missed heartbeats");
                    }

                    await ResetAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }
            }

            var status = PullStatus.Of(msg);
            if (status == 0 && msg.ReplyTo is not null)
            {
                _pendingMessages--;
                _pendingBytes -= msg.Data.Length;
                await TopUpAsync(cancellationToken).ConfigureAwait(false);
                return new NatsJsMsg(_context.Connection, msg);
            }

            await HandleStatusAsync(msg, status, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _context.Connection.ConnectionStateChanged -= OnConnectionStateChanged;
        await _subscription.DisposeAsync().ConfigureAwait(false);
    }

    private async ValueTask HandleStatusAsync(NatsMsg msg, int status, CancellationToken cancellationToken)
    {
        switch (status)
        {
            case PullStatus.Heartbeat:
                return;
            case PullStatus.RequestTimeout:
            case PullStatus.NoMessages:
                ForgetRequest(msg);
                break;
            case PullStatus.Conflict when PullStatus.IsFatalConflict(msg):
                if (_ordered)
                {
                    throw new OrderedConsumerResetException("consumer deleted");
                }

                throw PullStatus.ToException(_stream, _consumer, msg);
            case PullStatus.Conflict when PullStatus.IsRequestLimitConflict(msg):
                throw PullStatus.ToException(_stream, _consumer, msg);
            case PullStatus.Conflict:
                // Leadership change, max ack pending, message larger than max bytes: the request is over.
                ForgetRequest(msg);
                break;
            case PullStatus.NoResponders:
                if (_ordered)
                {
                    throw new OrderedConsumerResetException("no responders");
                }

                // The consumer has no leader right now; the heartbeat watchdog re-pulls.
                _pendingMessages = 0;
                _pendingBytes = 0;
                return;
            default:
                return;
        }

        await TopUpAsync(cancellationToken).ConfigureAwait(false);
    }

    private void ForgetRequest(NatsMsg msg)
    {
        var messages = PullStatus.PendingMessages(msg);
        var bytes = PullStatus.PendingBytes(msg);
        if (messages < 0)
        {
            // No counts: the request is over, but which one is unknown; start afresh.
            _pendingMessages = 0;
            _pendingBytes = 0;
            return;
        }

        _pendingMessages = Math.Max(0, _pendingMessages - messages);
        _pendingBytes = Math.Max(0, _pendingBytes - Math.Max(0, bytes));
    }

    private async ValueTask TopUpAsync(CancellationToken cancellationToken)
    {
        var bytesLow = _options.MaxBytes is { } maxBytes && _pendingBytes <= maxBytes / 2;
        if (_pendingMessages <= _threshold || bytesLow)
        {
            await PullAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask ResetAsync(CancellationToken cancellationToken)
    {
        _pendingMessages = 0;
        _pendingBytes = 0;
        try
        {
            await PullAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NatsException)
        {
            // Disconnected: the next missed heartbeat or state change tries again.
        }
    }

    private async ValueTask PullAsync(CancellationToken cancellationToken)
    {
        var batch = (int)Math.Max(0, _options.MaxMessages - _pendingMessages);
        if (batch == 0)
        {
            return;
        }

        long? maxBytes = _options.MaxBytes is { } limit ? Math.Max(1, limit - _pendingBytes) : null;
        var request = new PullRequest
        {
            Batch = batch,
            MaxBytes = maxBytes,
            Expires = _options.Expires,
            IdleHeartbeat = _options.EffectiveHeartbeat,
        };
        var body = JsonSerializer.SerializeToUtf8Bytes(request, JetStreamJsonContext.Default.PullRequest);
        await _context.Connection.PublishAsync(_nextSubject, body, null, _inbox, cancellationToken).ConfigureAwait(false);
        _pendingMessages += batch;
        _pendingBytes = maxBytes is { } requested ? _pendingBytes + requested : 0;
    }

    private async ValueTask<NatsMsg?> WaitAsync(ChannelReader<NatsMsg> reader, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_heartbeatTimeout);
        Volatile.Write(ref _wait, timeout);
        if (Volatile.Read(ref _resetRequested) == 1)
        {
            return null;
        }

        try
        {
            while (await reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false))
            {
                if (reader.TryRead(out var msg))
                {
                    return msg;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        finally
        {
            Volatile.Write(ref _wait, null);
        }

        throw new NatsJetStreamException($"The subscription of consumer '{_consumer}' on stream '{_stream}' was closed.");
    }

    private void OnConnectionStateChanged(object? sender, NatsConnectionStateChangedEventArgs e)
    {
        if (e.State == NatsConnectionState.Connected)
        {
            Interlocked.Exchange(ref _resetRequested, 1);
            try
            {
                // Wake a waiting NextAsync so the pulls are re-issued now rather than after two missed heartbeats.
                Volatile.Read(ref _wait)?.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}
