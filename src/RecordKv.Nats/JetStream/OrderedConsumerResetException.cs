namespace RecordKv.Nats.JetStream;

/// <summary>Internal signal: an ordered consumer must be recreated from its last stream sequence.</summary>
internal sealed class OrderedConsumerResetException(string reason) : Exception("Ordered consumer reset: " + reason);
