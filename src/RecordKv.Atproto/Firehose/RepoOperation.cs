using RecordKv.Atproto.Cids;

namespace RecordKv.Atproto.Firehose;

/// <summary>One record operation (<c>repoOp</c>) of a <c>#commit</c> event.</summary>
/// <param name="Action">Create, update or delete.</param>
/// <param name="Path">The record path, <c>collection/rkey</c>.</param>
/// <param name="Cid">The new record CID; <c>null</c> for a delete.</param>
/// <param name="Prev">The previous record CID for an update or delete (sync 1.1); <c>null</c> for a create or a legacy event.</param>
public readonly record struct RepoOperation(RepoAction Action, string Path, Cid? Cid, Cid? Prev);
