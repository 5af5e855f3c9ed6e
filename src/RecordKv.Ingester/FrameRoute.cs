namespace RecordKv.Ingester;

/// <summary>What the ingester needs from a frame to publish it: its seq, its DID (and partition) and its event name.</summary>
internal readonly record struct FrameRoute(FrameKind Kind, long Seq, string? Did, int Partition, string? EventName);
