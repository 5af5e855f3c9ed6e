namespace RecordKv.Coordination;

/// <summary>A partition this member gained or gave up; <paramref name="Lease"/> is cancelled when the partition is lost.</summary>
public readonly record struct PartitionLeaseChange(int Partition, bool Gained, CancellationToken Lease);
