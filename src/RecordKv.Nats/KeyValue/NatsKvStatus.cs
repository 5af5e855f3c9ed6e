using RecordKv.Nats.JetStream;

namespace RecordKv.Nats.KeyValue;

/// <summary>A bucket's configuration and size, read from its stream.</summary>
/// <param name="Bucket">The bucket name.</param>
/// <param name="Values">How many entries (all revisions, including delete markers) are stored.</param>
/// <param name="Bytes">How many bytes are stored.</param>
/// <param name="History">Revisions kept per key.</param>
/// <param name="MaxAge">The entries' time to live (zero: forever).</param>
/// <param name="Info">The backing stream's info.</param>
public sealed record NatsKvStatus(string Bucket, ulong Values, ulong Bytes, long History, TimeSpan MaxAge, StreamInfo Info)
{
    /// <summary>Whether gets use direct get.</summary>
    public bool AllowDirect => Info.Config.AllowDirect;
}
