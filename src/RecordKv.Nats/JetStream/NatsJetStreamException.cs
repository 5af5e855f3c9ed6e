namespace RecordKv.Nats.JetStream;

/// <summary>A JetStream operation failed: an API error (with the server's <c>code</c>, <c>err_code</c> and description) or a JetStream-level failure.</summary>
public class NatsJetStreamException : NatsException
{
    /// <summary>Creates the exception from a message and the server's codes (0 when not from the server).</summary>
    public NatsJetStreamException(string message, int code = 0, int errorCode = 0, string? description = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
        ErrorCode = errorCode;
        Description = description;
    }

    /// <summary>The HTTP-like status code (<c>code</c>), e.g. 400, 404, 503; 0 when not from the server.</summary>
    public int Code { get; }

    /// <summary>The JetStream error code (<c>err_code</c>), e.g. 10059 stream not found, 10071 wrong last sequence.</summary>
    public int ErrorCode { get; }

    /// <summary>The server's description, when the server sent one.</summary>
    public string? Description { get; }
}
