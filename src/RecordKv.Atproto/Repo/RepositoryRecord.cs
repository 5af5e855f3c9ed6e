using RecordKv.Atproto.Cids;

namespace RecordKv.Atproto.Repo;

/// <summary>One record of a loaded repository.</summary>
/// <param name="Collection">The collection NSID.</param>
/// <param name="RecordKey">The record key.</param>
/// <param name="Cid">The record CID as the MST links it.</param>
/// <param name="Data">The record's DAG-CBOR bytes.</param>
public readonly record struct RepositoryRecord(string Collection, string RecordKey, Cid Cid, ReadOnlyMemory<byte> Data)
{
    /// <summary>The MST key: <c>collection/rkey</c>.</summary>
    public string Path => string.Concat(Collection, "/", RecordKey);
}
