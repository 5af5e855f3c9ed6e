using RecordKv.Atproto.Cids;

namespace RecordKv.Atproto.Mst;

/// <summary>A tree node is malformed or breaks the tree's rules (wrong layer, unsorted keys, invalid key, non-canonical shape).</summary>
public sealed class MstFormatException : MstException
{
    /// <summary>Creates the exception for the node at <paramref name="node"/>.</summary>
    public MstFormatException(Cid? node, string message, Exception? innerException = null)
        : base(node is { } cid ? $"MST node {cid}: {message}" : $"MST: {message}", innerException)
    {
        Node = node;
    }

    /// <summary>The CID of the offending node, when it is known.</summary>
    public Cid? Node { get; }
}
