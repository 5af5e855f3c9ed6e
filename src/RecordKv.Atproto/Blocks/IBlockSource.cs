using RecordKv.Atproto.Cids;

namespace RecordKv.Atproto.Blocks;

/// <summary>Something that can hand out content-addressed blocks by CID (a CAR's blocks, a commit's blocks, a store).</summary>
public interface IBlockSource
{
    /// <summary>Finds the bytes of the block with this CID; false when the source does not hold it.</summary>
    bool TryGet(Cid cid, out ReadOnlyMemory<byte> block);
}
