using RecordKv.Atproto.Cids;

namespace RecordKv.Atproto.Mst;

/// <summary>One entry of a node: a key, its value and the subtree of keys between it and the next entry.</summary>
internal readonly record struct MstNodeEntry(string Key, Cid Value, MstNode? Right);
