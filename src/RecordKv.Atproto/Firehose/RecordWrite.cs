using RecordKv.Atproto.Cids;

namespace RecordKv.Atproto.Firehose;

/// <summary>One verified record change of a commit, ready to apply to a store.</summary>
/// <param name="Collection">The record's collection NSID.</param>
/// <param name="RecordKey">The record key.</param>
/// <param name="Action">Create, update or delete.</param>
/// <param name="Cid">The new record CID; <c>null</c> for a delete.</param>
/// <param name="Record">The record's DAG-CBOR bytes (a slice of the frame); empty for a delete.</param>
public readonly record struct RecordWrite(string Collection, string RecordKey, RepoAction Action, Cid? Cid, ReadOnlyMemory<byte> Record);
