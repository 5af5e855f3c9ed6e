using System.Text.Json;
using RecordKv.Contracts;
using RecordKv.Nats.JetStream;
using RecordKv.Nats.KeyValue;

namespace RecordKv.Client;

/// <summary>One change of one record, delivered by <see cref="RecordKvClient.ConsumeAsync"/>; acknowledge it when it is handled.</summary>
public sealed class RecordMessage
{
    private readonly NatsJsMsg _msg;
    private JsonElement? _record;

    internal RecordMessage(NatsJsMsg msg, RecordId id, int partition, string key)
    {
        _msg = msg;
        Id = id;
        Partition = partition;
        Key = key;
        var operation = msg.Headers?.GetLastValue(NatsKvStore.OperationHeader);
        Operation = operation is "DEL" or "PURGE" ? RecordOperation.Delete : RecordOperation.Put;
        Cid = msg.Headers?.GetLastValue(AtprotoHeaders.Cid);
        Rev = msg.Headers?.GetLastValue(AtprotoHeaders.Rev);
        if (NatsJsMsgMetadata.TryParse(msg.ReplyTo, out var metadata))
        {
            Sequence = metadata.StreamSequence;
            NumDelivered = metadata.NumDelivered;
            NumPending = metadata.NumPending;
        }
    }

    /// <summary>The record: DID, collection, record key.</summary>
    public RecordId Id { get; }

    /// <summary>The record's AT-URI.</summary>
    public string AtUri => Id.ToAtUri();

    /// <summary>The record's partition.</summary>
    public int Partition { get; }

    /// <summary>The record bucket key.</summary>
    public string Key { get; }

    /// <summary>Put or delete.</summary>
    public RecordOperation Operation { get; }

    /// <summary>The record's CID (<c>Atproto-Cid</c>), null on deletes.</summary>
    public string? Cid { get; }

    /// <summary>The repository revision that wrote it (<c>Atproto-Rev</c>), or null.</summary>
    public string? Rev { get; }

    /// <summary>The record bucket revision (stream sequence) of this change.</summary>
    public ulong Sequence { get; }

    /// <summary>How many times this message has been delivered (1 the first time).</summary>
    public ulong NumDelivered { get; }

    /// <summary>Messages of the same consumer not yet delivered after this one.</summary>
    public ulong NumPending { get; }

    /// <summary>The raw value: the record as atproto JSON (empty on deletes).</summary>
    public ReadOnlyMemory<byte> Data => _msg.Data;

    /// <summary>The record's JSON, parsed on first access; <c>null</c> JSON on deletes.</summary>
    public JsonElement Record => _record ??= _msg.Data.IsEmpty
        ? JsonSerializer.Deserialize("null"u8, RecordJsonContext.Default.JsonElement)
        : JsonSerializer.Deserialize(_msg.Data.Span, RecordJsonContext.Default.JsonElement);

    /// <summary>Acknowledges: the consumer never delivers this change again.</summary>
    public ValueTask AckAsync(CancellationToken cancellationToken = default) => _msg.AckAsync(cancellationToken);

    /// <summary>Asks for redelivery, after <paramref name="delay"/> when given.</summary>
    public ValueTask NakAsync(TimeSpan? delay = null, CancellationToken cancellationToken = default) => _msg.NakAsync(delay, cancellationToken);

    /// <summary>Tells the server the message is still being worked on (resets the ack timer).</summary>
    public ValueTask InProgressAsync(CancellationToken cancellationToken = default) => _msg.InProgressAsync(cancellationToken);
}
