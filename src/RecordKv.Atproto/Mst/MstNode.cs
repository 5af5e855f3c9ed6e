using System.Diagnostics.CodeAnalysis;
using RecordKv.Atproto.Blocks;
using RecordKv.Atproto.Cids;

namespace RecordKv.Atproto.Mst;

/// <summary>
/// One node of the tree. A node is either materialized (its entries are in memory) or a stub known only by CID
/// that is read from a block source the first time an operation opens it. Nodes are never changed after they are
/// materialized: edits build new nodes and share the untouched ones (a persistent tree). Opening a stub and
/// computing a CID fill caches, so a node is not safe to use from several threads at once.
/// </summary>
internal sealed class MstNode
{
    private static readonly MstNodeEntry[] NoEntries = [];

    private Cid _cid;
    private bool _hasCid;
    private ReadOnlyMemory<byte> _block;
    private bool _hasBlock;
    private MstNode? _left;
    private MstNodeEntry[]? _entries;

    private MstNode(Cid cid, int layer)
    {
        _cid = cid;
        _hasCid = true;
        Layer = layer;
    }

    public MstNode(int layer, MstNode? left, MstNodeEntry[] entries)
    {
        Layer = layer;
        _left = left;
        _entries = entries;
    }

    /// <summary>The empty tree: one node without entries.</summary>
    public static MstNode CreateEmpty() => new(0, null, NoEntries);

    /// <summary>A node known only by CID; <paramref name="layer"/> is -1 when not known yet (a root).</summary>
    public static MstNode CreateStub(Cid cid, int layer) => new(cid, layer);

    /// <summary>The layer: 0 for the leaves' layer, counted up to the root. -1 for a root stub not opened yet.</summary>
    public int Layer { get; private set; }

    /// <summary>Whether the entries are in memory.</summary>
    [MemberNotNullWhen(true, nameof(_entries))]
    public bool IsMaterialized => _entries is not null;

    /// <summary>The subtree of keys before the first entry (materialized nodes only).</summary>
    public MstNode? Left
    {
        get
        {
            EnsureMaterialized();
            return _left;
        }
    }

    /// <summary>The entries in key order (materialized nodes only).</summary>
    public MstNodeEntry[] Entries
    {
        get
        {
            EnsureMaterialized();
            return _entries;
        }
    }

    /// <summary>Whether the node has neither entries nor a left subtree (only valid as the root of the empty tree).</summary>
    public bool IsEmpty => Entries.Length == 0 && _left is null;

    /// <summary>The node's CID, encoding the node (and any new subtrees) the first time it is asked for.</summary>
    public Cid Cid
    {
        get
        {
            if (!_hasCid)
            {
                var block = MstNodeCodec.Encode(this);
                _cid = Cid.ForDagCbor(block);
                _block = block;
                _hasBlock = true;
                _hasCid = true;
            }

            return _cid;
        }
    }

    /// <summary>The node's DAG-CBOR block (as read, for a node read from a source), when it is materialized.</summary>
    public ReadOnlyMemory<byte> GetBlock()
    {
        if (!_hasBlock)
        {
            EnsureMaterialized();
            var block = MstNodeCodec.Encode(this);
            if (!_hasCid)
            {
                _cid = Cid.ForDagCbor(block);
                _hasCid = true;
            }

            _block = block;
            _hasBlock = true;
        }

        return _block;
    }

    /// <summary>The subtree at slot <paramref name="slot"/>: 0 is the left subtree, i is the right subtree of entry i-1.</summary>
    public MstNode? GetSlot(int slot) => slot == 0 ? Left : Entries[slot - 1].Right;

    /// <summary>The index of the first entry whose key is not less than <paramref name="key"/> (Entries.Length when none).</summary>
    public int LowerBound(string key)
    {
        var entries = Entries;
        var lo = 0;
        var hi = entries.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (string.CompareOrdinal(entries[mid].Key, key) < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>Makes sure the entries are in memory, reading the block from <paramref name="source"/> for a stub.</summary>
    /// <exception cref="MstMissingBlockException">The source lacks the block.</exception>
    /// <exception cref="MstFormatException">The block is not a valid node for this place in the tree.</exception>
    public MstNode Open(IBlockSource? source)
    {
        if (_entries is not null)
        {
            return this;
        }

        if (source is null || !source.TryGet(_cid, out var block))
        {
            throw new MstMissingBlockException(_cid);
        }

        var decoded = MstNodeCodec.Decode(_cid, block.Span, Layer);
        Layer = decoded.Layer;
        _block = block;
        _hasBlock = true;
        _left = decoded.Left;
        _entries = decoded.Entries;
        return this;
    }

    [MemberNotNull(nameof(_entries))]
    private void EnsureMaterialized()
    {
        if (_entries is null)
        {
            ThrowNotOpened(_cid);
        }
    }

    [DoesNotReturn]
    private static void ThrowNotOpened(Cid cid) =>
        throw new InvalidOperationException($"MST node {cid} is used before it was opened.");
}
