using RecordKv.Atproto.Cids;

namespace RecordKv.Atproto.Car;

/// <summary>A whole CAR read into memory: its roots and its blocks in file order (block data are slices of the input).</summary>
/// <param name="Roots">The header's root CIDs.</param>
/// <param name="Blocks">The blocks in the order they appear; a CID may repeat.</param>
public sealed record CarContents(IReadOnlyList<Cid> Roots, IReadOnlyList<CarBlock> Blocks)
{
    /// <summary>The blocks by CID, for lookups while walking a tree (a repeated CID keeps its first block).</summary>
    public Dictionary<Cid, ReadOnlyMemory<byte>> ToDictionary()
    {
        var blocks = new Dictionary<Cid, ReadOnlyMemory<byte>>(Blocks.Count);
        foreach (var block in Blocks)
        {
            blocks.TryAdd(block.Cid, block.Data);
        }

        return blocks;
    }
}
