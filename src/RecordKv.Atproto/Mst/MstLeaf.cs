using RecordKv.Atproto.Cids;

namespace RecordKv.Atproto.Mst;

/// <summary>One key of the tree and its value (a record CID).</summary>
/// <param name="Key">The key, <c>collection/rkey</c>.</param>
/// <param name="Value">The value.</param>
public readonly record struct MstLeaf(string Key, Cid Value);
