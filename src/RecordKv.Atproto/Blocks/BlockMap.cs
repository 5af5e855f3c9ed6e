using System.Collections;
using RecordKv.Atproto.Cids;

namespace RecordKv.Atproto.Blocks;

/// <summary>An in-memory set of blocks keyed by CID: what a CAR file or a commit's <c>blocks</c> field holds.</summary>
/// <remarks>
/// The map trusts its caller: <see cref="Add(Cid, ReadOnlyMemory{byte})"/> does not re-hash the bytes (the CAR reader
/// has already checked them); <see cref="AddDagCbor"/> computes the CID itself. Not thread-safe.
/// </remarks>
public sealed class BlockMap : IBlockSource, IEnumerable<KeyValuePair<Cid, ReadOnlyMemory<byte>>>
{
    private readonly Dictionary<Cid, ReadOnlyMemory<byte>> _blocks;

    /// <summary>Creates an empty map.</summary>
    public BlockMap()
    {
        _blocks = [];
    }

    /// <summary>Creates an empty map sized for <paramref name="capacity"/> blocks.</summary>
    public BlockMap(int capacity)
    {
        _blocks = new Dictionary<Cid, ReadOnlyMemory<byte>>(capacity);
    }

    /// <summary>The number of blocks held.</summary>
    public int Count => _blocks.Count;

    /// <summary>The total size in bytes of the blocks held.</summary>
    public long TotalBytes
    {
        get
        {
            long total = 0;
            foreach (var block in _blocks.Values)
            {
                total += block.Length;
            }

            return total;
        }
    }

    /// <summary>The CIDs of the blocks held, in no particular order.</summary>
    public IEnumerable<Cid> Cids => _blocks.Keys;

    /// <summary>Adds a block under its CID; adding a CID already present keeps the first copy (the bytes are the same by construction).</summary>
    /// <returns>True when the block was not present before.</returns>
    public bool Add(Cid cid, ReadOnlyMemory<byte> block) => _blocks.TryAdd(cid, block);

    /// <summary>Adds a DAG-CBOR block, computing its CID.</summary>
    public Cid AddDagCbor(ReadOnlyMemory<byte> block)
    {
        var cid = Cid.ForDagCbor(block.Span);
        _blocks.TryAdd(cid, block);
        return cid;
    }

    /// <summary>Adds every block of <paramref name="other"/>.</summary>
    public void AddAll(BlockMap other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var (cid, block) in other._blocks)
        {
            _blocks.TryAdd(cid, block);
        }
    }

    /// <inheritdoc/>
    public bool TryGet(Cid cid, out ReadOnlyMemory<byte> block) => _blocks.TryGetValue(cid, out block);

    /// <summary>Whether a block with this CID is held.</summary>
    public bool Contains(Cid cid) => _blocks.ContainsKey(cid);

    /// <summary>Removes the block with this CID; false when it was not held.</summary>
    public bool Remove(Cid cid) => _blocks.Remove(cid);

    /// <summary>Removes every block.</summary>
    public void Clear() => _blocks.Clear();

    /// <summary>Enumerates the blocks in no particular order.</summary>
    public Dictionary<Cid, ReadOnlyMemory<byte>>.Enumerator GetEnumerator() => _blocks.GetEnumerator();

    IEnumerator<KeyValuePair<Cid, ReadOnlyMemory<byte>>> IEnumerable<KeyValuePair<Cid, ReadOnlyMemory<byte>>>.GetEnumerator() => _blocks.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _blocks.GetEnumerator();
}
