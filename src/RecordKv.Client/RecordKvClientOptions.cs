using RecordKv.Contracts;

namespace RecordKv.Client;

/// <summary>Where the record store is and how consumers behave; bound from the <c>RecordKvClient</c> configuration section.</summary>
public sealed record RecordKvClientOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "RecordKvClient";

    /// <summary>NATS server URLs (default <c>nats://127.0.0.1:4222</c>).</summary>
    public IReadOnlyList<string> Servers { get; init; } = ["nats://127.0.0.1:4222"];

    /// <summary>NATS user, or null.</summary>
    public string? User { get; init; }

    /// <summary>NATS password, or null.</summary>
    public string? Password { get; init; }

    /// <summary>NATS token, or null.</summary>
    public string? Token { get; init; }

    /// <summary>The record bucket (default <c>record</c>).</summary>
    public string RecordBucket { get; init; } = "record";

    /// <summary>The control bucket holding the partition count and the consumers' partition leases (default <c>recordkv</c>).</summary>
    public string ControlBucket { get; init; } = "recordkv";

    /// <summary>The partition count used when the control bucket has no <c>config</c> key (otherwise the stored count wins).</summary>
    public int Partitions { get; init; } = DidPartitioner.DefaultPartitionCount;

    /// <summary>How long the server waits for an ack before redelivering (default 30 s).</summary>
    public TimeSpan AckWait { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Messages delivered but not yet acknowledged, per consumer (default 1000).</summary>
    public int MaxAckPending { get; init; } = 1000;

    /// <summary>Messages requested per pull (default 256).</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Lease time-to-live when partitions are shared (default 6 s: a dead process's partitions move within seconds).</summary>
    public TimeSpan LeaseTtl { get; init; } = TimeSpan.FromSeconds(6);

    /// <summary>Lease renewal interval when partitions are shared (default 2 s).</summary>
    public TimeSpan LeaseRenewInterval { get; init; } = TimeSpan.FromSeconds(2);
}
