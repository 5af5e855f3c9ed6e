using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace RecordKv.Nats.JetStream;

/// <summary>JetStream over a <see cref="NatsConnection"/>: streams, publishing with acks, consumers.</summary>
public sealed partial class NatsJetStreamContext
{
    /// <summary>Creates a context; it holds no resources of its own.</summary>
    public NatsJetStreamContext(NatsConnection connection, NatsJetStreamOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Connection = connection;
        Options = options ?? new NatsJetStreamOptions();
        Subjects = new JetStreamApiSubjects(Options.ApiPrefix, Options.Domain);
    }

    /// <summary>The connection requests go through.</summary>
    public NatsConnection Connection { get; }

    /// <summary>The options in force.</summary>
    public NatsJetStreamOptions Options { get; }

    internal JetStreamApiSubjects Subjects { get; }

    /// <summary>Sends an API request and decodes the answer, turning an <c>error</c> member into an exception.</summary>
    internal async Task<TResponse> RequestAsync<TRequest, TResponse>(
        string operation,
        string subject,
        TRequest? request,
        JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse> responseType,
        CancellationToken cancellationToken)
        where TRequest : class
    {
        var body = request is null ? ReadOnlyMemory<byte>.Empty : JsonSerializer.SerializeToUtf8Bytes(request, requestType);
        var reply = await SendAsync(subject, body, cancellationToken).ConfigureAwait(false);
        return Decode(operation, reply.Data, responseType);
    }

    internal async Task<NatsMsg> SendAsync(string subject, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        try
        {
            return await Connection.RequestAsync(subject, body, null, Options.RequestTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (NatsNoRespondersException e)
        {
            throw JetStreamErrors.NoResponders(subject, e);
        }
    }

    internal static TResponse Decode<TResponse>(string operation, ReadOnlyMemory<byte> data, JsonTypeInfo<TResponse> responseType)
    {
        if (data.IsEmpty)
        {
            throw new NatsJetStreamException($"JetStream {operation} got an empty answer.");
        }

        try
        {
            var error = JsonSerializer.Deserialize(data.Span, JetStreamJsonContext.Default.ApiErrorResponse)?.Error;
            if (error is not null)
            {
                JetStreamErrors.Throw(operation, error);
            }

            return JsonSerializer.Deserialize(data.Span, responseType)
                ?? throw new NatsJetStreamException($"JetStream {operation} got a null answer.");
        }
        catch (JsonException e)
        {
            throw new NatsJetStreamException($"JetStream {operation} got malformed JSON: {PubAckParser.Describe(data.Span)}", innerException: e);
        }
    }
}
