namespace RecordKv.Coordination;

/// <summary>Options of a member sharing partitions with others through leases in the control bucket.</summary>
public sealed record PartitionLeasesOptions
{
    /// <summary>The key prefix of this group: members heartbeat <c>&lt;prefix&gt;.member.&lt;id&gt;</c> and hold <c>&lt;prefix&gt;.lease.&lt;p&gt;</c>; default <c>builder</c>.</summary>
    public string KeyPrefix { get; init; } = "builder";

    /// <summary>This member's id, unique among live members (default: host name and process id).</summary>
    public string MemberId { get; init; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>How many partitions are shared (the store's partition count).</summary>
    public int PartitionCount { get; init; } = Contracts.DidPartitioner.DefaultPartitionCount;

    /// <summary>
    /// Whether a partition given up for rebalancing stays held, and renewed, until the member confirms with
    /// <see cref="PartitionLeases.ConfirmStopped"/> that its work on it has stopped (its lost change then does not cancel
    /// the lease token: the member stops gracefully); default false: released at once, right after cancelling the token.
    /// With it, the next holder never starts while this member still writes for the partition.
    /// </summary>
    public bool ReleaseAfterStopConfirmed { get; init; }

    /// <summary>Lease timing, shared by membership heartbeats and partition leases.</summary>
    public KvLeaseOptions Lease { get; init; } = new();
}
