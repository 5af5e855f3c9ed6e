using RecordKv.Atproto.Crypto;
using RecordKv.Atproto.Identity;

namespace RecordKv.Builder;

/// <summary>A DID document with when it was fetched, and the signing keys it replaced in this builder's memory.</summary>
/// <param name="Document">The parsed document (signing key, PDS endpoint, handle).</param>
/// <param name="FetchedAt">When it was fetched from the directory or the did:web host.</param>
internal sealed record ResolvedIdentity(DidDocument Document, DateTimeOffset FetchedAt)
{
    /// <summary>At most this many superseded keys are remembered per DID.</summary>
    public const int MaxFormerKeys = 4;

    /// <summary>
    /// Signing keys this DID had before (newest first), as seen by this builder. They authenticate only events that are
    /// never applied (replays, events a resync carried past, chain breaks that resync): see docs/pipeline.md.
    /// </summary>
    public IReadOnlyList<AtprotoPublicKey> FormerKeys { get; init; } = [];

    /// <summary>When a failed signature last made this builder fetch the document again; null if never.</summary>
    public DateTimeOffset? RefetchedForSignatureFailureAt { get; init; }

    /// <summary>
    /// Whether a failed signature may fetch the document again at <paramref name="now"/>: only once per
    /// <paramref name="interval"/>, so a stream of forged or broken commits for one DID cannot hammer its directory.
    /// </summary>
    public bool MayRefetchForSignatureFailure(DateTimeOffset now, TimeSpan interval) =>
        RefetchedForSignatureFailureAt is not { } last || now - last >= interval;

    /// <summary>This identity replaced by <paramref name="next"/>: the former keys carry over, plus this key when it changed.</summary>
    public ResolvedIdentity Succeed(ResolvedIdentity next)
    {
        if (Document.SigningKey is not { } key || key.Equals(next.Document.SigningKey))
        {
            return FormerKeys.Count == 0 ? next : next with { FormerKeys = FormerKeys };
        }

        var keys = new List<AtprotoPublicKey>(MaxFormerKeys) { key };
        foreach (var former in FormerKeys)
        {
            if (keys.Count == MaxFormerKeys)
            {
                break;
            }

            if (!former.Equals(next.Document.SigningKey) && !keys.Contains(former))
            {
                keys.Add(former);
            }
        }

        return next with { FormerKeys = keys };
    }
}
