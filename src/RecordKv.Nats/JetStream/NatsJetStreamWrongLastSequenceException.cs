namespace RecordKv.Nats.JetStream;

/// <summary>A publish's <c>Nats-Expected-Last-*</c> condition failed (err_code 10071, or 10070 for the stream, 10060 for the stream name).</summary>
public sealed class NatsJetStreamWrongLastSequenceException : NatsJetStreamException
{
    /// <summary>Creates the exception with the server's codes.</summary>
    public NatsJetStreamWrongLastSequenceException(string message, int code, int errorCode, string? description)
        : base(message, code, errorCode, description)
    {
    }
}
