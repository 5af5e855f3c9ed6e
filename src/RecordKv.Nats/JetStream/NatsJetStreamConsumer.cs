using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;

namespace RecordKv.Nats.JetStream;

/// <summary>A pull consumer: fetch a batch, or consume continuously with the buffer kept primed.</summary>
public sealed class NatsJetStreamConsumer
{
    private readonly NatsJetStreamContext _context;

    internal NatsJetStreamConsumer(NatsJetStreamContext context, ConsumerInfo info)
    {
        _context = context;
        Info = info;
    }

    /// <summary>The stream the consumer reads.</summary>
    public string Stream => Info.StreamName;

    /// <summary>The consumer's name.</summary>
    public string Name => Info.Name;

    /// <summary>The consumer's info as last fetched.</summary>
    public ConsumerInfo Info { get; private set; }

    /// <summary>Fetches the consumer's current info (and keeps it in <see cref="Info"/>).</summary>
    public async Task<ConsumerInfo> RefreshInfoAsync(CancellationToken cancellationToken = default)
    {
        Info = await _context.GetConsumerInfoAsync(Stream, Name, cancellationToken).ConfigureAwait(false);
        return Info;
    }

    /// <summary>Sends one pull request and yields what it returns: up to the batch, until it expires, or (no-wait) what is available.</summary>
    public async IAsyncEnumerable<NatsJsMsg> FetchAsync(NatsJetStreamFetchOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        options ??= new NatsJetStreamFetchOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxMessages, 1);
        var connection = _context.Connection;
        var inbox = connection.NewInbox();
        var subscriptionOptions = new NatsSubscriptionOptions { Capacity = options.MaxMessages + 64 };
        await using var subscription = await connection.SubscribeAsync(inbox, options: subscriptionOptions, cancellationToken: cancellationToken).ConfigureAwait(false);
        var request = new PullRequest
        {
            Batch = options.MaxMessages,
            MaxBytes = options.MaxBytes,
            Expires = options.NoWait ? null : options.Expires,
            NoWait = options.NoWait ? true : null,
            IdleHeartbeat = options.NoWait ? null : options.IdleHeartbeat,
        };
        var body = JsonSerializer.SerializeToUtf8Bytes(request, JetStreamJsonContext.Default.PullRequest);
        await connection.PublishAsync(_context.Subjects.ConsumerNext(Stream, Name), body, null, inbox, cancellationToken).ConfigureAwait(false);

        // The server ends the request itself (408) at expiry; the client deadline is a backstop for a lost server.
        var silence = options.IdleHeartbeat is { } heartbeat ? heartbeat * 2 : options.Expires + _context.Options.RequestTimeout;
        var received = 0;
        long bytes = 0;
        while (received < options.MaxMessages)
        {
            var msg = await ReadAsync(subscription.Messages, silence, cancellationToken).ConfigureAwait(false);
            if (msg is null)
            {
                yield break;
            }

            var status = PullStatus.Of(msg);
            if (status == PullStatus.Heartbeat)
            {
                continue;
            }

            if (status is PullStatus.NoMessages or PullStatus.RequestTimeout)
            {
                yield break;
            }

            if (status == PullStatus.Conflict && !PullStatus.IsFatalConflict(msg) && !PullStatus.IsRequestLimitConflict(msg))
            {
                yield break;
            }

            if (status != 0)
            {
                throw status == PullStatus.NoResponders
                    ? new NatsJetStreamNotFoundException($"Consumer '{Name}' on stream '{Stream}' does not answer pulls.", 503, JetStreamErrors.ConsumerNotFound, "no responders")
                    : PullStatus.ToException(Stream, Name, msg);
            }

            received++;
            bytes += msg.Data.Length;
            yield return new NatsJsMsg(connection, msg);
            if (options.MaxBytes is { } maxBytes && bytes >= maxBytes)
            {
                yield break;
            }
        }
    }

    /// <summary>Consumes without end: pulls are re-issued as the buffer drains, after missed heartbeats and after reconnects.</summary>
    public async IAsyncEnumerable<NatsJsMsg> ConsumeAsync(NatsJetStreamConsumeOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var loop = await PullConsumeLoop.StartAsync(_context, Stream, Name, options ?? new NatsJetStreamConsumeOptions(), ordered: false, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            yield return await loop.NextAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async ValueTask<NatsMsg?> ReadAsync(ChannelReader<NatsMsg> reader, TimeSpan silence, CancellationToken cancellationToken)
    {
        if (reader.TryRead(out var ready))
        {
            return ready;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(silence);
        try
        {
            while (await reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false))
            {
                if (reader.TryRead(out var msg))
                {
                    return msg;
                }
            }

            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
