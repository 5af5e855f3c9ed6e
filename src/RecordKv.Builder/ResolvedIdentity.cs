using RecordKv.Atproto.Identity;

namespace RecordKv.Builder;

/// <summary>A DID document with when it was fetched.</summary>
/// <param name="Document">The parsed document (signing key, PDS endpoint, handle).</param>
/// <param name="FetchedAt">When it was fetched from the directory or the did:web host.</param>
internal sealed record ResolvedIdentity(DidDocument Document, DateTimeOffset FetchedAt);
