using System.Buffers;
using System.Threading.Channels;
using RecordKv.Nats.Internal;

namespace RecordKv.Nats;

/// <summary>A subscription: its messages arrive in a bounded channel; what happens when it is full is its <see cref="NatsSlowConsumerPolicy"/>.</summary>
public sealed class NatsSubscription : IAsyncDisposable
{
    private readonly NatsConnection _connection;
    private readonly Channel<NatsMsg> _channel;
    private readonly NatsSlowConsumerPolicy _policy;
    private long _delivered;
    private long _dropped;
    private long _maxMessages;
    private int _completed;

    internal NatsSubscription(NatsConnection connection, long sid, string subject, string? queueGroup, int capacity, NatsSlowConsumerPolicy policy, long? maxMessages, bool isReplyInbox)
    {
        _connection = connection;
        Sid = sid;
        Subject = subject;
        QueueGroup = queueGroup;
        _policy = policy;
        _maxMessages = maxMessages ?? 0;
        IsReplyInbox = isReplyInbox;
        _channel = Channel.CreateBounded<NatsMsg>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleWriter = true,
            SingleReader = false,
            AllowSynchronousContinuations = false,
        });
    }

    /// <summary>The subject (wildcards allowed) subscribed to.</summary>
    public string Subject { get; }

    /// <summary>The queue group, or null.</summary>
    public string? QueueGroup { get; }

    /// <summary>The messages; the channel completes when the subscription ends (with an error if the connection closed abnormally).</summary>
    public ChannelReader<NatsMsg> Messages => _channel.Reader;

    /// <summary>How many messages were dropped because the channel was full (policy <see cref="NatsSlowConsumerPolicy.DropNewest"/>).</summary>
    public long DroppedMessages => Interlocked.Read(ref _dropped);

    /// <summary>How many messages the server delivered to this subscription.</summary>
    public long DeliveredMessages => Interlocked.Read(ref _delivered);

    internal long Sid { get; }

    /// <summary>The request/reply multiplexer's wildcard inbox: replies go to waiting requests, not to the channel.</summary>
    internal bool IsReplyInbox { get; }

    /// <summary>Reads every message until the subscription ends.</summary>
    public IAsyncEnumerable<NatsMsg> ReadAllAsync(CancellationToken cancellationToken = default) => _channel.Reader.ReadAllAsync(cancellationToken);

    /// <summary>Unsubscribes now, or after <paramref name="maxMessages"/> messages in total (<c>UNSUB sid max</c>).</summary>
    public ValueTask UnsubscribeAsync(int? maxMessages = null) => _connection.UnsubscribeAsync(this, maxMessages);

    /// <summary>Unsubscribes (if the connection is still open) and completes the channel.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Volatile.Read(ref _completed) != 0)
        {
            return;
        }

        try
        {
            await UnsubscribeAsync().ConfigureAwait(false);
        }
        catch (NatsConnectionException)
        {
            Complete(null);
        }
        catch (ObjectDisposedException)
        {
            Complete(null);
        }
    }

    /// <summary>Sets the auto-unsubscribe limit; returns whether it is already reached.</summary>
    internal bool SetMaxMessages(long maxMessages)
    {
        Interlocked.Exchange(ref _maxMessages, maxMessages);
        return Interlocked.Read(ref _delivered) >= maxMessages;
    }

    /// <summary>Called by the read loop. Never blocks under <see cref="NatsSlowConsumerPolicy.DropNewest"/>.</summary>
    internal ValueTask DeliverAsync(NatsMsg message, CancellationToken cancellationToken)
    {
        var delivered = Interlocked.Increment(ref _delivered);
        var max = Interlocked.Read(ref _maxMessages);
        if (max > 0 && delivered > max)
        {
            return default;
        }

        var last = max > 0 && delivered == max;
        if (_channel.Writer.TryWrite(message))
        {
            if (last)
            {
                _connection.RemoveSubscription(this);
                Complete(null);
            }

            return default;
        }

        if (_policy == NatsSlowConsumerPolicy.DropNewest || Volatile.Read(ref _completed) != 0)
        {
            Interlocked.Increment(ref _dropped);
            if (last)
            {
                _connection.RemoveSubscription(this);
                Complete(null);
            }

            return default;
        }

        return WaitAndDeliverAsync(message, last, cancellationToken);
    }

    private async ValueTask WaitAndDeliverAsync(NatsMsg message, bool last, CancellationToken cancellationToken)
    {
        try
        {
            await _channel.Writer.WriteAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            Interlocked.Increment(ref _dropped);
        }

        if (last)
        {
            _connection.RemoveSubscription(this);
            Complete(null);
        }
    }

    /// <summary>Writes SUB (and UNSUB with what is left of the limit) for a new session.</summary>
    internal int WriteResubscribe(IBufferWriter<byte> writer)
    {
        var written = NatsCommandWriter.WriteSubscribe(writer, Subject, QueueGroup, Sid);
        var max = Interlocked.Read(ref _maxMessages);
        if (max > 0)
        {
            written += NatsCommandWriter.WriteUnsubscribe(writer, Sid, Math.Max(1, max - Interlocked.Read(ref _delivered)));
        }

        return written;
    }

    internal void Complete(Exception? error)
    {
        if (Interlocked.Exchange(ref _completed, 1) == 0)
        {
            _channel.Writer.TryComplete(error);
        }
    }
}
