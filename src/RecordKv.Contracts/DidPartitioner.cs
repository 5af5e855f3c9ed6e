using System.Text;

namespace RecordKv.Contracts;

/// <summary>
/// The partition function of the design: <c>murmur3_x86_32(UTF-8 bytes of the DID, seed 0) mod P</c>.
/// <c>P</c> is fixed when a store is created and recorded in the control bucket's <c>config</c> key.
/// </summary>
public sealed class DidPartitioner
{
    /// <summary>The partition count of a store created with defaults.</summary>
    public const int DefaultPartitionCount = 16;

    /// <summary>The largest partition count a store may use; partitions are subject tokens and consumers, so thousands would only cost.</summary>
    public const int MaxPartitionCount = 4096;

    /// <summary>Creates a partitioner for a store with <paramref name="partitionCount"/> partitions.</summary>
    public DidPartitioner(int partitionCount = DefaultPartitionCount)
    {
        if (partitionCount is < 1 or > MaxPartitionCount)
        {
            throw new ArgumentOutOfRangeException(nameof(partitionCount), partitionCount, $"The partition count must be between 1 and {MaxPartitionCount}.");
        }

        PartitionCount = partitionCount;
    }

    /// <summary>The number of partitions, <c>P</c>.</summary>
    public int PartitionCount { get; }

    /// <summary>The partition of a DID given as UTF-8 bytes.</summary>
    public int PartitionOf(ReadOnlySpan<byte> didUtf8) => (int)(Murmur3.Hash32(didUtf8) % (uint)PartitionCount);

    /// <summary>The partition of a DID.</summary>
    public int PartitionOf(string did)
    {
        ArgumentNullException.ThrowIfNull(did);
        var byteCount = Encoding.UTF8.GetByteCount(did);
        Span<byte> utf8 = byteCount <= 512 ? stackalloc byte[byteCount] : new byte[byteCount];
        Encoding.UTF8.GetBytes(did, utf8);
        return PartitionOf(utf8);
    }
}
