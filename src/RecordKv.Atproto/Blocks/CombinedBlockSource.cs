using RecordKv.Atproto.Cids;

namespace RecordKv.Atproto.Blocks;

/// <summary>Looks a block up in a first source, then in a second one.</summary>
public sealed class CombinedBlockSource : IBlockSource
{
    private readonly IBlockSource _first;
    private readonly IBlockSource? _second;

    /// <summary>Combines <paramref name="first"/> with <paramref name="second"/> (which may be null).</summary>
    public CombinedBlockSource(IBlockSource first, IBlockSource? second)
    {
        ArgumentNullException.ThrowIfNull(first);
        _first = first;
        _second = second;
    }

    /// <inheritdoc/>
    public bool TryGet(Cid cid, out ReadOnlyMemory<byte> block) =>
        _first.TryGet(cid, out block) || (_second is not null && _second.TryGet(cid, out block));
}
