namespace RecordKv.Client;

/// <summary>Per-call options of <see cref="RecordKvClient.ConsumeAsync"/>.</summary>
public sealed record RecordConsumeOptions
{
    /// <summary>
    /// Share the partitions with other processes consuming under the same name (partition leases in the control bucket);
    /// each key is then handled by one process at a time, in order. Off: this process reads every partition.
    /// </summary>
    public bool SharePartitions { get; init; }

    /// <summary>This process's member id when sharing (default host name and process id).</summary>
    public string MemberId { get; init; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>Messages buffered between the consumers and the reader (default 512).</summary>
    public int BufferSize { get; init; } = 512;
}
