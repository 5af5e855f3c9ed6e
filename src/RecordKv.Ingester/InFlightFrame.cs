using RecordKv.Nats;

namespace RecordKv.Ingester;

/// <summary>A frame handed to JetStream and kept (in a pooled buffer) until acknowledged, so it can be republished.</summary>
internal readonly record struct InFlightFrame(byte[] Buffer, int Length, long Seq, string Subject, NatsHeaders Headers, bool Tracked)
{
    public ReadOnlyMemory<byte> Data => Buffer.AsMemory(0, Length);
}
