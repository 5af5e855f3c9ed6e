namespace RecordKv.Cli.Status;

/// <summary>One reading of a consumer for <c>recordkv graph</c>: rates over the last interval and the backlog at its end.</summary>
internal readonly record struct ThroughputSample(DateTimeOffset At, double DeliveredPerSecond, double AckedPerSecond, ulong Pending, long AckPending);
