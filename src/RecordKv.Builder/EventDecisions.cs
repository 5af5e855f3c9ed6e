using RecordKv.Atproto.Firehose;

namespace RecordKv.Builder;

/// <summary>
/// The event processor's decisions as pure functions of the event and what is stored, so each rule is testable
/// without a store: the order of the guards, the chain check, account statuses and the resync of unknown repositories.
/// </summary>
internal static class EventDecisions
{
    /// <summary>Whether a verified event's rev is not above the highest verified rev this DID already showed on the stream.</summary>
    public static bool IsReplay(string rev, RepoTrack track) =>
        track.MaxVerifiedRev is { } seen && string.CompareOrdinal(rev, seen) <= 0;

    /// <summary>
    /// Whether a verified, non-replayed commit reveals a commit the stream skipped: its <c>since</c> is not the rev of the
    /// DID's previous <c>#commit</c>/<c>#sync</c> on the stream (unknown previous: not decidable, so not a gap).
    /// </summary>
    public static bool IsGap(string? since, RepoTrack track) =>
        track.LastStreamRev is { } previous && !string.Equals(since, previous, StringComparison.Ordinal);

    /// <summary>Whether a commit must wait for a resync before it can be applied.</summary>
    /// <param name="state">The stored state, or null.</param>
    /// <param name="since">The commit's <c>since</c>.</param>
    /// <param name="resyncUnknownRepos">Whether a repository first seen mid-history is resynced.</param>
    public static bool NeedsResyncFirst(RepoState? state, string? since, bool resyncUnknownRepos) =>
        state is { SyncState: not RepoSyncStates.Synchronized }
        || (state?.Rev is null && since is not null && resyncUnknownRepos);

    /// <summary>
    /// The decision for a commit whose stateless verification passed and that is no replay, against the stored state
    /// (after any resync it needed first). Order: the rev guard, then the chain, then the key.
    /// </summary>
    /// <param name="state">The stored state, or null.</param>
    /// <param name="rev">The commit's rev.</param>
    /// <param name="previousData">The MST root before the commit, from inverting its operations.</param>
    /// <param name="signedBySupersededKey">Whether only a former key of the account verified its signature.</param>
    public static CommitDecision ForVerifiedCommit(RepoState? state, string rev, string previousData, bool signedBySupersededKey)
    {
        if (state?.Rev is { } stored && string.CompareOrdinal(rev, stored) <= 0)
        {
            return CommitDecision.Behind;
        }

        if (state?.Data is { } data && !string.Equals(data, previousData, StringComparison.Ordinal))
        {
            return CommitDecision.ChainBroken;
        }

        return signedBySupersededKey ? CommitDecision.RejectSupersededKey : CommitDecision.Apply;
    }

    /// <summary>The decision for a verified <c>#sync</c>: behind, a no-op on the same root (rev and commit follow it), or a resync.</summary>
    public static CommitDecision ForVerifiedSync(RepoState? state, string rev, string data)
    {
        if (state?.Rev is { } stored && string.CompareOrdinal(rev, stored) <= 0)
        {
            return CommitDecision.Behind;
        }

        return state is { SyncState: RepoSyncStates.Synchronized } && string.Equals(state.Data, data, StringComparison.Ordinal)
            ? CommitDecision.Apply
            : CommitDecision.ChainBroken;
    }

    /// <summary>Whether a commit's record writes go to the store: not while the account's records are hidden.</summary>
    public static bool AreRecordsVisible(RepoState? state, bool hideInactiveAccounts) =>
        state is null || state.IsActive || !hideInactiveAccounts;

    /// <summary>The status an inactive <c>#account</c> event records (an absent status means deactivated).</summary>
    public static string InactiveStatus(AccountEvent account) =>
        string.IsNullOrEmpty(account.Status) ? "deactivated" : account.Status;

    /// <summary>The decision for an <c>#account</c> event.</summary>
    public static AccountDecision ForAccount(RepoState? state, bool active, string? status, bool hideInactiveAccounts)
    {
        if (!active)
        {
            return status == RepoStatuses.Deleted || hideInactiveAccounts ? AccountDecision.RemoveRecords : AccountDecision.RecordStatus;
        }

        if (state is null || state.IsActive)
        {
            return AccountDecision.None;
        }

        return state.Status == RepoStatuses.Deleted || hideInactiveAccounts ? AccountDecision.ReactivateAndResync : AccountDecision.Reactivate;
    }

    /// <summary>
    /// Whether a desynchronized repository is worth a resync retry now: not a deleted account, nor one whose records
    /// are hidden (its reactivation resyncs it).
    /// </summary>
    public static bool ShouldRetryResync(RepoState? state, bool hideInactiveAccounts) =>
        state is { SyncState: not RepoSyncStates.Synchronized }
        && state.Status != RepoStatuses.Deleted
        && AreRecordsVisible(state, hideInactiveAccounts);
}
