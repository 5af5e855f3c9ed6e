namespace RecordKv.Atproto.Cids;

/// <summary>The multicodec codes of the content types atproto links to.</summary>
public static class CidCodec
{
    /// <summary>DAG-CBOR (0x71): records, MST nodes, commits.</summary>
    public const ulong DagCbor = 0x71;

    /// <summary>Raw bytes (0x55): blobs.</summary>
    public const ulong Raw = 0x55;
}
