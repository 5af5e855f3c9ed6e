namespace RecordKv.Builder;

/// <summary>
/// What a builder knows about one repository while it owns the DID's partition: the stored state (the commit point,
/// cached so a commit costs no read) and what the stream itself has shown of the repository's history, which
/// classifies skipped events (replays, gaps). Only the DID's lane touches it.
/// </summary>
internal sealed class RepoTrack
{
    public RepoTrack(RepoState? state) => State = state;

    /// <summary>The stored repo state as last read or written by this builder; null when the store has none.</summary>
    public RepoState? State { get; set; }

    /// <summary>
    /// The rev of the last <c>#commit</c> or <c>#sync</c> of this DID seen on the stream (verified or not), which the
    /// next commit's <c>since</c> names unless the stream skipped a commit; null when unknown (nothing seen yet, or an
    /// event that could not be read).
    /// </summary>
    public string? LastStreamRev { get; set; }

    /// <summary>
    /// The paths of the DID's record index subject folded in memory, kept once the subject has been compacted here (a
    /// busy repository), so the next compaction writes its snapshot without reading the subject again; null when not
    /// kept. Always a superset of the subject's paths: a path is added before its delta is published and removed only
    /// after its removal is acknowledged (<see cref="BuilderStore"/>).
    /// </summary>
    public HashSet<string>? IndexPaths { get; set; }

    /// <summary>
    /// Paths of records this builder deleted (acknowledged) that the DID's record index subject still names: the DID's
    /// next delta removes them, instead of a message of their own. Lost with the track, which only leaves the subject
    /// naming records that are gone (a get that finds nothing at the next listing, until the next snapshot).
    /// </summary>
    public HashSet<string>? IndexRemovals { get; set; }

    /// <summary>The highest rev of a verified event of this DID seen on the stream; an event not above it is a replay.</summary>
    public string? MaxVerifiedRev { get; set; }

    /// <summary>Notes a verified event's rev.</summary>
    public void SawVerified(string rev)
    {
        LastStreamRev = rev;
        if (MaxVerifiedRev is null || string.CompareOrdinal(rev, MaxVerifiedRev) > 0)
        {
            MaxVerifiedRev = rev;
        }
    }
}
