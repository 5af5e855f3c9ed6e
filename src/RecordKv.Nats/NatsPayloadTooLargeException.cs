namespace RecordKv.Nats;

/// <summary>A message (headers plus payload) is larger than the server's <c>max_payload</c>.</summary>
public sealed class NatsPayloadTooLargeException : NatsException
{
    /// <summary>Creates the exception for a message of <paramref name="size"/> bytes against the limit.</summary>
    public NatsPayloadTooLargeException(string subject, long size, long maxPayload)
        : base($"The message to '{subject}' has {size} bytes (headers and payload); the server accepts at most {maxPayload}.")
    {
        Subject = subject;
        Size = size;
        MaxPayload = maxPayload;
    }

    /// <summary>The subject of the rejected message.</summary>
    public string Subject { get; }

    /// <summary>The size of headers plus payload in bytes.</summary>
    public long Size { get; }

    /// <summary>The server's limit in bytes.</summary>
    public long MaxPayload { get; }
}
