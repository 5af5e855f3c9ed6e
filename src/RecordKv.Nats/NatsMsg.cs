namespace RecordKv.Nats;

/// <summary>A message received on a subscription or as a reply.</summary>
public sealed class NatsMsg
{
    private readonly NatsConnection? _connection;

    /// <summary>Creates a message; received messages are created by the connection.</summary>
    public NatsMsg(string subject, string? replyTo, NatsHeaders? headers, ReadOnlyMemory<byte> data)
        : this(subject, replyTo, headers, data, null)
    {
    }

    internal NatsMsg(string subject, string? replyTo, NatsHeaders? headers, ReadOnlyMemory<byte> data, NatsConnection? connection)
    {
        Subject = subject;
        ReplyTo = replyTo;
        Headers = headers;
        Data = data;
        _connection = connection;
    }

    /// <summary>The subject the message was published to.</summary>
    public string Subject { get; }

    /// <summary>The subject to reply to, if the publisher asked for a reply.</summary>
    public string? ReplyTo { get; }

    /// <summary>The headers, or null when the message had none.</summary>
    public NatsHeaders? Headers { get; }

    /// <summary>The payload.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>Publishes a reply to <see cref="ReplyTo"/> on the connection the message came from.</summary>
    public ValueTask ReplyAsync(ReadOnlyMemory<byte> data, NatsHeaders? headers = null, CancellationToken cancellationToken = default)
    {
        if (ReplyTo is null)
        {
            throw new InvalidOperationException($"The message on '{Subject}' has no reply subject.");
        }

        if (_connection is null)
        {
            throw new InvalidOperationException("The message was not received on a connection.");
        }

        return _connection.PublishAsync(ReplyTo, data, headers, null, cancellationToken);
    }
}
