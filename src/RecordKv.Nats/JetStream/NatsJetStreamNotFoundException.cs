namespace RecordKv.Nats.JetStream;

/// <summary>The stream, consumer or message does not exist (404: err_code 10059, 10014 or 10037).</summary>
public sealed class NatsJetStreamNotFoundException : NatsJetStreamException
{
    /// <summary>Creates the exception with the server's codes.</summary>
    public NatsJetStreamNotFoundException(string message, int code, int errorCode, string? description)
        : base(message, code, errorCode, description)
    {
    }
}
