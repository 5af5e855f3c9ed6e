using System.Globalization;

namespace RecordKv.Nats.JetStream;

/// <summary>A message delivered by a JetStream consumer, with its metadata and the acknowledgements it accepts.</summary>
public sealed class NatsJsMsg
{
    private static readonly ReadOnlyMemory<byte> AckPayload = "+ACK"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> NakPayload = "-NAK"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> InProgressPayload = "+WPI"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> TermPayload = "+TERM"u8.ToArray();

    private readonly NatsConnection _connection;
    private NatsJsMsgMetadata? _metadata;

    internal NatsJsMsg(NatsConnection connection, NatsMsg msg)
    {
        _connection = connection;
        Msg = msg;
    }

    /// <summary>The underlying core message.</summary>
    public NatsMsg Msg { get; }

    /// <summary>The subject the message was published to.</summary>
    public string Subject => Msg.Subject;

    /// <summary>The payload.</summary>
    public ReadOnlyMemory<byte> Data => Msg.Data;

    /// <summary>The headers, if any.</summary>
    public NatsHeaders? Headers => Msg.Headers;

    /// <summary>The <c>$JS.ACK...</c> subject acknowledgements go to.</summary>
    public string? ReplyTo => Msg.ReplyTo;

    /// <summary>Stream, consumer, sequences, delivery count, timestamp and pending count from the reply subject.</summary>
    public NatsJsMsgMetadata Metadata
    {
        get
        {
            if (_metadata is { } cached)
            {
                return cached;
            }

            if (!NatsJsMsgMetadata.TryParse(Msg.ReplyTo, out var parsed))
            {
                throw new NatsJetStreamException($"Message on '{Msg.Subject}' has no JetStream ack subject: '{Msg.ReplyTo}'.");
            }

            _metadata = parsed;
            return parsed;
        }
    }

    /// <summary>Acknowledges the message (<c>+ACK</c>) without waiting for the server.</summary>
    public ValueTask AckAsync(CancellationToken cancellationToken = default) => SendAsync(AckPayload, cancellationToken);

    /// <summary>Acknowledges the message and waits until the server confirms it recorded the ack (double ack).</summary>
    public async Task AckSyncAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var replyTo = RequireReplyTo();
        try
        {
            await _connection.RequestAsync(replyTo, AckPayload, null, timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (NatsNoRespondersException e)
        {
            throw new NatsJetStreamException($"The consumer of '{Msg.Subject}' is gone; the ack was not recorded.", 503, 0, "no responders", e);
        }
    }

    /// <summary>Negatively acknowledges the message (<c>-NAK</c>) so it is redelivered, after <paramref name="delay"/> when given.</summary>
    public ValueTask NakAsync(TimeSpan? delay = null, CancellationToken cancellationToken = default)
    {
        if (delay is not { } value || value <= TimeSpan.Zero)
        {
            return SendAsync(NakPayload, cancellationToken);
        }

        var body = string.Create(CultureInfo.InvariantCulture, $"-NAK {{\"delay\": {value.Ticks * 100}}}");
        return SendAsync(System.Text.Encoding.ASCII.GetBytes(body), cancellationToken);
    }

    /// <summary>Tells the server the message is still being worked on (<c>+WPI</c>), resetting its ack timer.</summary>
    public ValueTask InProgressAsync(CancellationToken cancellationToken = default) => SendAsync(InProgressPayload, cancellationToken);

    /// <summary>Terminates the message (<c>+TERM</c>): it is never redelivered.</summary>
    public ValueTask TermAsync(CancellationToken cancellationToken = default) => SendAsync(TermPayload, cancellationToken);

    private ValueTask SendAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
        _connection.PublishAsync(RequireReplyTo(), payload, cancellationToken: cancellationToken);

    private string RequireReplyTo() =>
        Msg.ReplyTo ?? throw new NatsJetStreamException($"Message on '{Msg.Subject}' has no reply subject to acknowledge to.");
}
