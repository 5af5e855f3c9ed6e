namespace RecordKv.Nats.KeyValue;

/// <summary>What a watch yields: an entry, or the marker that the initial values are all delivered and live changes follow.</summary>
/// <param name="Entry">The entry; null for the marker.</param>
public readonly record struct NatsKvWatchEvent(NatsKvEntry? Entry)
{
    /// <summary>Whether this is the end-of-initial-data marker.</summary>
    public bool IsInitialDataComplete => Entry is null;
}
