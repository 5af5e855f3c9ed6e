namespace RecordKv.Nats.JetStream;

/// <summary>A message read back from a stream (message get or direct get).</summary>
public sealed class NatsStoredMessage
{
    /// <summary>Creates a stored message.</summary>
    public NatsStoredMessage(string subject, ulong sequence, DateTimeOffset time, NatsHeaders? headers, ReadOnlyMemory<byte> data)
    {
        Subject = subject;
        Sequence = sequence;
        Time = time;
        Headers = headers;
        Data = data;
    }

    /// <summary>The subject it was published to.</summary>
    public string Subject { get; }

    /// <summary>Its stream sequence.</summary>
    public ulong Sequence { get; }

    /// <summary>When the stream stored it.</summary>
    public DateTimeOffset Time { get; }

    /// <summary>Its headers (for direct get, including the <c>Nats-Stream/Subject/Sequence/Time-Stamp</c> headers the server adds).</summary>
    public NatsHeaders? Headers { get; }

    /// <summary>Its payload.</summary>
    public ReadOnlyMemory<byte> Data { get; }
}
