namespace RecordKv.Nats.JetStream;

/// <summary>Publishing with PubAcks.</summary>
public sealed partial class NatsJetStreamContext
{
    /// <summary>Publishes a message and waits for its PubAck; a failed expectation throws <see cref="NatsJetStreamWrongLastSequenceException"/>, no stream <see cref="NatsJetStreamException"/> with code 503.</summary>
    public async Task<PubAck> PublishAsync(
        string subject,
        ReadOnlyMemory<byte> data,
        NatsHeaders? headers = null,
        NatsJetStreamPublishOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        headers = options?.ApplyTo(headers) ?? headers;
        NatsMsg reply;
        try
        {
            reply = await Connection.RequestAsync(subject, data, headers, Options.RequestTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (NatsNoRespondersException e)
        {
            throw JetStreamErrors.NoResponders(subject, e);
        }
        catch (NatsTimeoutException e)
        {
            throw new NatsJetStreamPublishTimeoutException(subject, Options.RequestTimeout, e);
        }

        string? lastStream = null;
        if (!PubAckParser.TryParse(reply.Data.Span, ref lastStream, out var ack, out var error))
        {
            throw new NatsJetStreamException($"JetStream publish to '{subject}' got an invalid PubAck: {PubAckParser.Describe(reply.Data.Span)}");
        }

        if (error is not null)
        {
            JetStreamErrors.Throw("publish to '" + subject + "'", error);
        }

        return ack;
    }

    /// <summary>Creates an asynchronous publisher with a bounded number of publishes in flight; acks come back in publish order.</summary>
    public Task<NatsJetStreamPublisher> CreatePublisherAsync(NatsJetStreamPublisherOptions? options = null, CancellationToken cancellationToken = default) =>
        NatsJetStreamPublisher.StartAsync(Connection, options ?? new NatsJetStreamPublisherOptions(), cancellationToken);
}
