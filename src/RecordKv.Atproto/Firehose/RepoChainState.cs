using RecordKv.Atproto.Cids;

namespace RecordKv.Atproto.Firehose;

/// <summary>What a consumer stored about a repository after its last verified commit.</summary>
/// <param name="Rev">The revision of that commit.</param>
/// <param name="Data">The MST root (<c>data</c>) of that commit.</param>
public readonly record struct RepoChainState(string Rev, Cid Data);
