namespace RecordKv.Nats.KeyValue;

/// <summary>One revision of a key: its value, revision (stream sequence), time and operation.</summary>
public sealed class NatsKvEntry
{
    /// <summary>Creates an entry.</summary>
    public NatsKvEntry(string bucket, string key, ReadOnlyMemory<byte> value, ulong revision, DateTimeOffset created, ulong delta, NatsKvOperation operation, NatsHeaders? headers)
    {
        Bucket = bucket;
        Key = key;
        Value = value;
        Revision = revision;
        Created = created;
        Delta = delta;
        Operation = operation;
        Headers = headers;
    }

    /// <summary>The bucket.</summary>
    public string Bucket { get; }

    /// <summary>The key.</summary>
    public string Key { get; }

    /// <summary>The value (empty for deletes and purges).</summary>
    public ReadOnlyMemory<byte> Value { get; }

    /// <summary>The revision: the entry's sequence in the bucket's stream.</summary>
    public ulong Revision { get; }

    /// <summary>When the entry was written.</summary>
    public DateTimeOffset Created { get; }

    /// <summary>For watched entries, how many newer matching entries follow; 0 otherwise.</summary>
    public ulong Delta { get; }

    /// <summary>Put, delete or purge.</summary>
    public NatsKvOperation Operation { get; }

    /// <summary>The message headers (including <c>KV-Operation</c> and, from direct get, <c>Nats-*</c>).</summary>
    public NatsHeaders? Headers { get; }
}
