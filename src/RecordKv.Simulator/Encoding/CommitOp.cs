using RecordKv.Atproto.Cids;

namespace RecordKv.Simulator.Encoding;

/// <summary>One operation of a firehose #commit: <c>action</c>, <c>path</c>, <c>cid</c> (null for deletes) and sync 1.1 <c>prev</c>.</summary>
internal readonly record struct CommitOp(string Action, string Path, Cid? Cid, Cid? Prev);
