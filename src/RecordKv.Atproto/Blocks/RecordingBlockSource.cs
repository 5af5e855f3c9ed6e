using RecordKv.Atproto.Cids;

namespace RecordKv.Atproto.Blocks;

/// <summary>Passes reads through to another source and remembers every block it handed out: the blocks an operation needed.</summary>
public sealed class RecordingBlockSource : IBlockSource
{
    private readonly IBlockSource _inner;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    public RecordingBlockSource(IBlockSource inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
    }

    /// <summary>The blocks read so far.</summary>
    public BlockMap Read { get; } = new();

    /// <inheritdoc/>
    public bool TryGet(Cid cid, out ReadOnlyMemory<byte> block)
    {
        if (!_inner.TryGet(cid, out block))
        {
            return false;
        }

        Read.Add(cid, block);
        return true;
    }
}
