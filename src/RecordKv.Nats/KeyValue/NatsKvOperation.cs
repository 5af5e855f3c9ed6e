namespace RecordKv.Nats.KeyValue;

/// <summary>What a key-value entry records (the <c>KV-Operation</c> header; none means put).</summary>
public enum NatsKvOperation
{
    /// <summary>A value was written.</summary>
    Put,

    /// <summary>The key was deleted (<c>KV-Operation: DEL</c>); earlier history is kept.</summary>
    Delete,

    /// <summary>The key was purged (<c>KV-Operation: PURGE</c> with <c>Nats-Rollup: sub</c>); earlier history is gone.</summary>
    Purge,
}
