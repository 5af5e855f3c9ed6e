using Microsoft.Extensions.Logging;
using RecordKv.Atproto.Cids;
using RecordKv.Atproto.Crypto;
using RecordKv.Atproto.Firehose;

namespace RecordKv.Builder;

/// <summary>
/// Applies one firehose event to the store: verifies commits (with identity resolution, refreshed once on a signature
/// failure), writes records then the repo state, resyncs broken chains, handles <c>#sync</c>, <c>#identity</c> and
/// <c>#account</c>. Callers run the events of one DID one at a time, in order; expected failures are counted and
/// logged, never thrown, so the caller can ack.
/// </summary>
internal sealed class EventProcessor
{
    private readonly BuilderOptions _options;
    private readonly BuilderStore _store;
    private readonly IdentityResolver _identities;
    private readonly RepoResyncer _resyncer;
    private readonly BuilderMetrics _metrics;
    private readonly CollectionFilter _filter;
    private readonly CommitVerifier _verifier = new();
    private readonly ILogger _logger;

    public EventProcessor(BuilderOptions options, BuilderStore store, IdentityResolver identities, RepoResyncer resyncer, BuilderMetrics metrics, ILogger logger)
    {
        _options = options;
        _store = store;
        _identities = identities;
        _resyncer = resyncer;
        _metrics = metrics;
        _logger = logger;
        _filter = new CollectionFilter(options.Collections);
    }

    /// <summary>Processes one frame as published by the ingester; <paramref name="did"/> and <paramref name="seq"/> come from its headers (for logs).</summary>
    public async Task ProcessAsync(ReadOnlyMemory<byte> frame, string did, long seq, CancellationToken cancellationToken)
    {
        FirehoseEvent firehoseEvent;
        try
        {
            firehoseEvent = FirehoseFrame.Decode(frame);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Reject("frame", did, seq, RejectionReasons.Malformed, exception.Message);
            return;
        }

        switch (firehoseEvent)
        {
            case CommitEvent commit:
                await HandleCommitAsync(commit, cancellationToken).ConfigureAwait(false);
                break;
            case SyncEvent sync:
                await HandleSyncAsync(sync, cancellationToken).ConfigureAwait(false);
                break;
            case IdentityEvent identity:
                await HandleIdentityAsync(identity, cancellationToken).ConfigureAwait(false);
                break;
            case AccountEvent account:
                await HandleAccountAsync(account, cancellationToken).ConfigureAwait(false);
                break;
        }

        _metrics.EventProcessed();
    }

    private async Task HandleCommitAsync(CommitEvent commit, CancellationToken cancellationToken)
    {
        var did = commit.Repo;
        var state = await _store.GetRepoStateAsync(did, cancellationToken).ConfigureAwait(false);
        if (state is { SyncState: not RepoSyncStates.Synchronized }
            || (state?.Rev is null && commit.Since is not null && _options.ResyncUnknownRepos))
        {
            // The store cannot follow this commit without the whole repository: resync, after which this event is
            // usually already included (stale) or follows the fetched state.
            if (!await _resyncer.ResyncAsync(did, state is null ? "unknown repo" : "desynchronized", null, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            state = await _store.GetRepoStateAsync(did, cancellationToken).ConfigureAwait(false);
        }

        var (result, identity) = await VerifyAsync(did, commit.Seq, "#commit", (key, chain) => _verifier.Verify(commit, key, chain), state, cancellationToken).ConfigureAwait(false);
        if (result is null)
        {
            return;
        }

        if (result.IsStale)
        {
            _metrics.StaleSkipped();
            return;
        }

        if (result.IsChainBroken)
        {
            await _store.PutRepoStateAsync(did, (state ?? new RepoState()) with { SyncState = RepoSyncStates.Desynchronized }, cancellationToken).ConfigureAwait(false);
            await _resyncer.ResyncAsync(did, "chain broken", null, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!result.IsValid)
        {
            Reject("#commit", did, commit.Seq, RejectionReasons.Of(result.FailedCheck), result.Message);
            return;
        }

        var visible = state is null || state.IsActive || !_options.HideInactiveAccounts;
        var collections = state?.Collections ?? [];
        var writes = 0;
        if (visible)
        {
            var tasks = new List<Task>(result.Writes.Count);
            foreach (var write in result.Writes)
            {
                if (!_filter.Includes(write.Collection))
                {
                    continue;
                }

                if (write.Action == RepoAction.Delete)
                {
                    tasks.Add(_store.DeleteRecordAsync(did, write.Collection, write.RecordKey, cancellationToken));
                }
                else
                {
                    tasks.Add(_store.PutRecordAsync(did, write.Collection, write.RecordKey, write.Cid!.Value, commit.Rev, write.Record.Span, cancellationToken));
                    collections = WithCollection(collections, write.Collection);
                }
            }

            writes = tasks.Count;
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }

        // The repo state is the commit point: written only after every record write has been acknowledged.
        var next = (state ?? new RepoState()) with
        {
            Rev = commit.Rev,
            Data = result.Commit!.Data.ToString(),
            Commit = commit.Commit.ToString(),
            SyncState = RepoSyncStates.Synchronized,
            Pds = identity!.Document.PdsEndpoint?.ToString() ?? state?.Pds,
            Collections = collections,
        };
        await _store.PutRepoStateAsync(did, next, cancellationToken).ConfigureAwait(false);
        _metrics.CommitApplied(writes);
    }

    private async Task HandleSyncAsync(SyncEvent sync, CancellationToken cancellationToken)
    {
        var did = sync.Did;
        var state = await _store.GetRepoStateAsync(did, cancellationToken).ConfigureAwait(false);
        var (result, _) = await VerifyAsync(did, sync.Seq, "#sync", (key, chain) => _verifier.VerifySync(sync, key, chain), state, cancellationToken).ConfigureAwait(false);
        if (result is null)
        {
            return;
        }

        if (result.IsStale)
        {
            _metrics.StaleSkipped();
            return;
        }

        if (!result.IsValid)
        {
            Reject("#sync", did, sync.Seq, RejectionReasons.Of(result.FailedCheck), result.Message);
            return;
        }

        var data = result.Commit!.Data.ToString();
        if (state is not null && state.Data == data && state.SyncState == RepoSyncStates.Synchronized)
        {
            await _store.PutRepoStateAsync(did, state with { Rev = sync.Rev, Commit = result.Commit.ComputeCid().ToString() }, cancellationToken).ConfigureAwait(false);
            return;
        }

        await _store.PutRepoStateAsync(did, (state ?? new RepoState()) with { SyncState = RepoSyncStates.Desynchronized }, cancellationToken).ConfigureAwait(false);
        await _resyncer.ResyncAsync(did, "#sync with a new root", null, cancellationToken).ConfigureAwait(false);
    }

    private async Task HandleIdentityAsync(IdentityEvent identity, CancellationToken cancellationToken)
    {
        ResolvedIdentity resolved;
        try
        {
            resolved = await _identities.ResolveAsync(identity.Did, refresh: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IdentityException or AtprotoHttpException)
        {
            Reject("#identity", identity.Did, identity.Seq, RejectionReasons.Identity, exception.Message);
            return;
        }

        var state = await _store.GetRepoStateAsync(identity.Did, cancellationToken).ConfigureAwait(false);
        var pds = resolved.Document.PdsEndpoint?.ToString();
        if (state is not null && pds is not null && state.Pds != pds)
        {
            await _store.PutRepoStateAsync(identity.Did, state with { Pds = pds }, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task HandleAccountAsync(AccountEvent account, CancellationToken cancellationToken)
    {
        var did = account.Did;
        var state = await _store.GetRepoStateAsync(did, cancellationToken).ConfigureAwait(false);
        if (state?.AccountSeq is { } applied && account.Seq < applied)
        {
            // An older #account event redelivered after a newer one was applied: it must not undo it. (The same
            // event redelivered, equal seq, runs again: it may have been cut short.)
            return;
        }

        if (!account.Active)
        {
            var status = string.IsNullOrEmpty(account.Status) ? "deactivated" : account.Status;
            var removed = 0;
            if (status == RepoStatuses.Deleted || _options.HideInactiveAccounts)
            {
                removed = await _resyncer.RemoveAllRecordsAsync(did, state, cancellationToken).ConfigureAwait(false);
                Log.AccountHidden(_logger, did, status, removed);
            }

            await _store.PutRepoStateAsync(did, (state ?? new RepoState()) with { Status = status, AccountSeq = account.Seq }, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (state is null)
        {
            // Nothing known yet, but the event must still be remembered: a deactivation older than it may come later.
            // A state without a rev counts as an unknown repository for commits (they resync first).
            await _store.PutRepoStateAsync(did, new RepoState { AccountSeq = account.Seq }, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (state.IsActive && state.SyncState != RepoSyncStates.Desynchronized)
        {
            // Already active: only remember the event, so an older deactivation redelivered later is recognised as stale.
            await _store.PutRepoStateAsync(did, state with { AccountSeq = account.Seq }, cancellationToken).ConfigureAwait(false);
            return;
        }

        // Inactive, or active but desynchronized (a reactivation cut short before its resync finished).
        var wasHidden = state.Status == RepoStatuses.Deleted || _options.HideInactiveAccounts;
        var reactivated = state with { Status = RepoStatuses.Active, SyncState = wasHidden ? RepoSyncStates.Desynchronized : state.SyncState, AccountSeq = account.Seq };
        await _store.PutRepoStateAsync(did, reactivated, cancellationToken).ConfigureAwait(false);
        if (wasHidden)
        {
            await _resyncer.ResyncAsync(did, "reactivated", null, cancellationToken).ConfigureAwait(false);
        }
    }

    // Verifies with the cached identity, and once more with a freshly resolved one when the signature fails (a key
    // rotation the cache has not seen). Null result: rejected already (identity unusable).
    private async Task<(CommitVerificationResult? Result, ResolvedIdentity? Identity)> VerifyAsync(
        string did,
        long seq,
        string eventType,
        Func<AtprotoPublicKey, RepoChainState?, CommitVerificationResult> verify,
        RepoState? state,
        CancellationToken cancellationToken)
    {
        RepoChainState? chain = state is { Rev: { } rev, Data: { } data } ? new RepoChainState(rev, Cid.Parse(data)) : null;
        for (var attempt = 0; attempt < 2; attempt++)
        {
            ResolvedIdentity identity;
            try
            {
                identity = await _identities.ResolveAsync(did, refresh: attempt > 0, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is IdentityException or AtprotoHttpException)
            {
                Reject(eventType, did, seq, RejectionReasons.Identity, exception.Message);
                return (null, null);
            }

            if (identity.Document.SigningKey is not { } key)
            {
                Reject(eventType, did, seq, RejectionReasons.Identity, "the DID document has no #atproto signing key");
                return (null, null);
            }

            var result = verify(key, chain);
            if (result.FailedCheck != CommitCheck.Signature || attempt > 0)
            {
                return (result, identity);
            }
        }

        throw new InvalidOperationException("unreachable");
    }

    private void Reject(string eventType, string did, long seq, string reason, string? message)
    {
        _metrics.Rejected(reason);
        Log.EventRejected(_logger, eventType, did, seq, reason, message);
    }

    private static IReadOnlyList<string> WithCollection(IReadOnlyList<string> collections, string collection)
    {
        foreach (var existing in collections)
        {
            if (existing == collection)
            {
                return collections;
            }
        }

        var extended = new List<string>(collections.Count + 1);
        extended.AddRange(collections);
        extended.Add(collection);
        return extended;
    }
}
