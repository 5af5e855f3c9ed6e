using RecordKv.Contracts;

namespace RecordKv.Builder;

/// <summary>A record the store holds: its key, what the key names, and the record CID from its <c>Atproto-Cid</c> header.</summary>
internal readonly record struct StoredRecordKey(string Key, RecordId Id, string? Cid);
