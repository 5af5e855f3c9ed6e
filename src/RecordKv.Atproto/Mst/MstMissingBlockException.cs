using RecordKv.Atproto.Cids;

namespace RecordKv.Atproto.Mst;

/// <summary>A tree node the operation needs is not in the block source (a partial tree, or an incomplete commit proof).</summary>
public sealed class MstMissingBlockException : MstException
{
    /// <summary>Creates the exception for the missing node's CID.</summary>
    public MstMissingBlockException(Cid cid)
        : base($"MST node block {cid} is not available.")
    {
        Cid = cid;
    }

    /// <summary>The CID of the node that is missing.</summary>
    public Cid Cid { get; }
}
