using RecordKv.Atproto.Cids;

namespace RecordKv.Simulator.Generation;

/// <summary>A record in a repository: its CID, its DAG-CBOR block, and the rev of the commit that wrote it.</summary>
internal readonly record struct StoredRecord(Cid Cid, ReadOnlyMemory<byte> Block, string Rev);
