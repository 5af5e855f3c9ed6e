using Microsoft.Extensions.Logging;
using RecordKv.Atproto.Crypto;
using RecordKv.Atproto.Firehose;
using RecordKv.Atproto.Syntax;

namespace RecordKv.Builder;

/// <summary>
/// Applies one firehose event to the store. Every <c>#commit</c> and <c>#sync</c> first gets its stateless
/// verification (CAR, commit, signature with the account's key refreshed once on failure, MST inversion against its
/// own <c>prevData</c>), so each faulty event is rejected exactly once whatever the stored state; only then come the
/// stream-history classification (replay, gap), the rev guard and the chain check against the stored state
/// (<see cref="EventDecisions"/>). Records are written, then the repo state (the commit point). Callers run the
/// events of one DID one at a time, in order; expected failures are counted and logged, never thrown, so the caller
/// can ack.
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

    /// <summary>
    /// Processes one frame as published by the ingester; <paramref name="did"/> and <paramref name="seq"/> come from its
    /// headers. Returns whether the DID's repository is left desynchronized and worth a resync retry later. With
    /// <paramref name="pending"/>, an applied commit's repo state is held there until the lane flushes it (its record
    /// writes are published into the same batch); any other store write flushes what is pending first, so the store
    /// sees every DID's writes in order. Without it, each commit is made durable before this returns.
    /// <paramref name="resyncRetryScheduled"/>: a resync of the DID failed and its retry is scheduled, so a commit that
    /// needs a resync leaves it to that retry.
    /// </summary>
    public async Task<bool> ProcessAsync(ReadOnlyMemory<byte> frame, string did, long seq, PendingCommits? pending, bool resyncRetryScheduled, CancellationToken cancellationToken)
    {
        FirehoseEvent firehoseEvent;
        try
        {
            firehoseEvent = FirehoseFrame.Decode(frame);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Reject("frame", did, seq, RejectionReasons.Malformed, exception.Message);
            if (Did.IsValid(did))
            {
                // Whatever it was, the next commit's since cannot be checked against it.
                (await TrackAsync(did, pending, cancellationToken).ConfigureAwait(false)).LastStreamRev = null;
            }

            _metrics.EventProcessed();
            return false;
        }

        var retry = firehoseEvent switch
        {
            CommitEvent commit => await HandleCommitAsync(commit, pending, resyncRetryScheduled, cancellationToken).ConfigureAwait(false),
            SyncEvent sync => await FlushThen(pending, cancellationToken).ConfigureAwait(false) && await HandleSyncAsync(sync, cancellationToken).ConfigureAwait(false),
            IdentityEvent identity => await FlushThen(pending, cancellationToken).ConfigureAwait(false) && await HandleIdentityAsync(identity, cancellationToken).ConfigureAwait(false),
            AccountEvent account => await FlushThen(pending, cancellationToken).ConfigureAwait(false) && await HandleAccountAsync(account, cancellationToken).ConfigureAwait(false),
            _ => false,
        };
        _metrics.EventProcessed();
        return retry;
    }

    /// <summary>
    /// Starts work on a partition this builder now consumes. What it cached of the partition's DIDs (repo states,
    /// DID documents) may be stale: another builder may have held the partition meanwhile. Both are read afresh.
    /// </summary>
    public void OpenPartition(int partition)
    {
        _store.OpenPartition(partition);
        _identities.ForgetPartition(partition);
    }

    /// <summary>Ends work on a partition: its repo states are no longer cached (another builder may own them next).</summary>
    public void ClosePartition(int partition) => _store.ClosePartition(partition);

    /// <summary>Resyncs a DID left desynchronized by an earlier failure, if it still is; returns whether it still is.</summary>
    public async Task<bool> RetryResyncAsync(string did, CancellationToken cancellationToken)
    {
        var track = await _store.TrackAsync(did, cancellationToken).ConfigureAwait(false);
        if (!EventDecisions.ShouldRetryResync(track.State, _options.HideInactiveAccounts))
        {
            return false;
        }

        _metrics.ResyncRetried();
        return !await _resyncer.ResyncAsync(did, "retry", null, cancellationToken).ConfigureAwait(false)
            && await NeedsRetryAsync(did, cancellationToken).ConfigureAwait(false);
    }

    // Flushes what the lane holds (before a store write other than a plain commit's); true, so it chains with &&.
    private static async ValueTask<bool> FlushThen(PendingCommits? pending, CancellationToken cancellationToken)
    {
        if (pending is { IsEmpty: false })
        {
            await pending.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    // The DID's track: the one the lane holds a pending state of, else the store's (cached per partition).
    private ValueTask<RepoTrack> TrackAsync(string did, PendingCommits? pending, CancellationToken cancellationToken) =>
        pending is not null && pending.TryGetTrack(did, out var track)
            ? ValueTask.FromResult(track)
            : new ValueTask<RepoTrack>(_store.TrackAsync(did, cancellationToken));

    private async Task<bool> HandleCommitAsync(CommitEvent commit, PendingCommits? pending, bool resyncRetryScheduled, CancellationToken cancellationToken)
    {
        var did = commit.Repo;
        var track = await TrackAsync(did, pending, cancellationToken).ConfigureAwait(false);
        var verified = await VerifyAsync(commit, did, commit.Seq, cancellationToken).ConfigureAwait(false);
        if (verified is not { Result.IsValid: true })
        {
            if (verified is { } failed)
            {
                Reject("#commit", did, commit.Seq, RejectionReasons.Of(failed.Result.FailedCheck), failed.Result.Message);
            }

            // Its rev is readable even when nothing else is: the next commit's since names it.
            track.LastStreamRev = commit.Rev;
            return false;
        }

        var (result, identity, supersededKey) = verified.Value;
        if (EventDecisions.IsReplay(commit.Rev, track))
        {
            _metrics.Replayed();
            return false;
        }

        if (EventDecisions.IsGap(commit.Since, track))
        {
            _metrics.GapDetected();
            Log.GapDetected(_logger, did, commit.Seq, commit.Since, track.LastStreamRev);
        }

        track.SawVerified(commit.Rev);
        var state = track.State;
        if (EventDecisions.NeedsResyncFirst(state, commit.Since, _options.ResyncUnknownRepos))
        {
            if (resyncRetryScheduled)
            {
                // The repository's last resync failed and its retry is scheduled. Fetching it again for every commit
                // queued behind the failure only repeats it (a builder behind on an account its PDS has since
                // deactivated fetched once per queued commit); the retry brings the repository to its current
                // state, this commit included, and the account's own #account event stops the retries.
                _metrics.ResyncDeferred();
                return true;
            }

            await FlushThen(pending, cancellationToken).ConfigureAwait(false);
            // The store cannot follow this commit without the whole repository: resync, after which this event is
            // usually already included (behind) or follows the fetched state.
            if (!await _resyncer.ResyncAsync(did, state is null ? "unknown repo" : "desynchronized", null, cancellationToken).ConfigureAwait(false))
            {
                return await NeedsRetryAsync(did, cancellationToken).ConfigureAwait(false);
            }

            state = (await _store.TrackAsync(did, cancellationToken).ConfigureAwait(false)).State;
        }

        switch (EventDecisions.ForVerifiedCommit(state, commit.Rev, result.PreviousData!.Value.ToString(), supersededKey))
        {
            case CommitDecision.Behind:
                _metrics.StaleSkipped();
                return false;
            case CommitDecision.ChainBroken:
                _metrics.ChainBroken();
                await FlushThen(pending, cancellationToken).ConfigureAwait(false);
                // The flush may have written a newer state than the one held (the record index's count moves on).
                state = (await _store.TrackAsync(did, cancellationToken).ConfigureAwait(false)).State;
                await _store.PutRepoStateAsync(did, (state ?? new RepoState()) with { SyncState = RepoSyncStates.Desynchronized }, cancellationToken).ConfigureAwait(false);
                return !await _resyncer.ResyncAsync(did, "chain broken", null, cancellationToken).ConfigureAwait(false)
                    && await NeedsRetryAsync(did, cancellationToken).ConfigureAwait(false);
            case CommitDecision.RejectSupersededKey:
                Reject("#commit", did, commit.Seq, RejectionReasons.Of(CommitCheck.Signature), "signed by a superseded key of the account");
                return false;
        }

        var visible = EventDecisions.AreRecordsVisible(state, _options.HideInactiveAccounts);
        var collections = state?.Collections ?? [];
        if (visible && WritesNewCollection(state, result.Writes))
        {
            collections = (state ?? new RepoState()).CollectionsWith(CollectionsWritten(result.Writes));
            if (!BuilderStore.Covers(state, collections))
            {
                // A state written before the record index existed covers a collection before its first record there
                // (BuilderStore.AnnounceCollectionsAsync). A state of the DID the lane holds back is written first: the
                // announcement follows its revision.
                if (pending is not null && pending.TryGetTrack(did, out _))
                {
                    await pending.FlushAsync(cancellationToken).ConfigureAwait(false);
                }

                state = await _store.AnnounceCollectionsAsync(did, state, collections, cancellationToken).ConfigureAwait(false);
            }
        }

        // Without a lane's batch, the commit is a batch of its own, made durable before this returns.
        var batch = pending ?? new PendingCommits(_store);
        var indexed = RepoState.IsIndexed(state);
        var written = 0;
        if (visible)
        {
            foreach (var write in result.Writes)
            {
                if (!_filter.Includes(write.Collection))
                {
                    continue;
                }

                var key = _store.RecordKey(did, write.Collection, write.RecordKey);
                // Whatever happens to this builder, no record goes unlisted: the batch indexes a path before its record,
                // and takes it out only once the delete is acknowledged.
                var path = indexed ? RecordIndex.PathOf(write.Collection, write.RecordKey) : null;
                if (write.Action == RepoAction.Delete)
                {
                    batch.Delete(did, key, path);
                }
                else
                {
                    batch.Put(did, key, path, write.Cid!.Value, commit.Rev, write.Record);
                }

                written++;
            }
        }

        var next = (state ?? new RepoState()) with
        {
            Rev = commit.Rev,
            Data = result.Commit!.Data.ToString(),
            Commit = commit.Commit.ToString(),
            SyncState = RepoSyncStates.Synchronized,
            Pds = identity.Document.PdsEndpoint?.ToString() ?? state?.Pds,
            Collections = collections,
        };

        // The state (the commit point) is written once every record write of the batch is acknowledged.
        batch.Defer(did, track, next);
        if (pending is null)
        {
            try
            {
                await batch.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                batch.Abandon();
                throw;
            }
        }

        _metrics.CommitApplied(written);
        return false;
    }

    private async Task<bool> HandleSyncAsync(SyncEvent sync, CancellationToken cancellationToken)
    {
        var did = sync.Did;
        var track = await _store.TrackAsync(did, cancellationToken).ConfigureAwait(false);
        var verified = await VerifyAsync(sync, did, sync.Seq, cancellationToken).ConfigureAwait(false);
        if (verified is not { Result.IsValid: true })
        {
            if (verified is { } failed)
            {
                Reject("#sync", did, sync.Seq, RejectionReasons.Of(failed.Result.FailedCheck), failed.Result.Message);
            }

            track.LastStreamRev = sync.Rev;
            return false;
        }

        var (result, _, supersededKey) = verified.Value;
        if (EventDecisions.IsReplay(sync.Rev, track))
        {
            _metrics.Replayed();
            return false;
        }

        // A #sync restarts the chain: the next commit's since is its rev, whatever came before.
        track.SawVerified(sync.Rev);
        var state = track.State;
        switch (EventDecisions.ForVerifiedSync(state, sync.Rev, result.Commit!.Data.ToString()))
        {
            case CommitDecision.Behind:
                _metrics.StaleSkipped();
                return false;
            case CommitDecision.Apply when supersededKey:
                Reject("#sync", did, sync.Seq, RejectionReasons.Of(CommitCheck.Signature), "signed by a superseded key of the account");
                return false;
            case CommitDecision.Apply:
                await _store.PutRepoStateAsync(did, state! with { Rev = sync.Rev, Commit = result.Commit.ComputeCid().ToString() }, cancellationToken).ConfigureAwait(false);
                return false;
        }

        await _store.PutRepoStateAsync(did, (state ?? new RepoState()) with { SyncState = RepoSyncStates.Desynchronized }, cancellationToken).ConfigureAwait(false);
        return !await _resyncer.ResyncAsync(did, "#sync with a new root", null, cancellationToken).ConfigureAwait(false)
            && await NeedsRetryAsync(did, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> HandleIdentityAsync(IdentityEvent identity, CancellationToken cancellationToken)
    {
        ResolvedIdentity resolved;
        try
        {
            resolved = await _identities.ResolveAsync(identity.Did, refresh: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IdentityException or AtprotoHttpException)
        {
            Reject("#identity", identity.Did, identity.Seq, RejectionReasons.Identity, exception.Message);
            return false;
        }

        var state = (await _store.TrackAsync(identity.Did, cancellationToken).ConfigureAwait(false)).State;
        var pds = resolved.Document.PdsEndpoint?.ToString();
        if (state is not null && pds is not null && state.Pds != pds)
        {
            await _store.PutRepoStateAsync(identity.Did, state with { Pds = pds }, cancellationToken).ConfigureAwait(false);
        }

        return false;
    }

    private async Task<bool> HandleAccountAsync(AccountEvent account, CancellationToken cancellationToken)
    {
        var did = account.Did;
        var state = (await _store.TrackAsync(did, cancellationToken).ConfigureAwait(false)).State;
        if (state?.AccountSeq is { } applied && account.Seq < applied)
        {
            // An older #account event redelivered after a newer one was applied must not undo it. (The same event
            // redelivered, equal seq, runs again: it may have been cut short.)
            return false;
        }

        var status = account.Active ? RepoStatuses.Active : EventDecisions.InactiveStatus(account);
        switch (EventDecisions.ForAccount(state, account.Active, status, _options.HideInactiveAccounts))
        {
            case AccountDecision.RemoveRecords:
                var removed = await _store.RemoveAllRecordsAsync(did, state, cancellationToken).ConfigureAwait(false);
                Log.AccountHidden(_logger, did, status, removed);
                // No records left, and an empty index: the next listing of the DID (its reactivation's resync) costs one get.
                await _store.PutRepoStateAsync(did, (state ?? new RepoState()) with { Status = status, AccountSeq = account.Seq, Collections = [], IndexDeltas = 0 }, cancellationToken).ConfigureAwait(false);
                return false;
            case AccountDecision.RecordStatus:
                await _store.PutRepoStateAsync(did, (state ?? new RepoState()) with { Status = status, AccountSeq = account.Seq }, cancellationToken).ConfigureAwait(false);
                return false;
            case AccountDecision.Reactivate:
                await _store.PutRepoStateAsync(did, state! with { Status = RepoStatuses.Active, AccountSeq = account.Seq }, cancellationToken).ConfigureAwait(false);
                return false;
            case AccountDecision.ReactivateAndResync:
                await _store.PutRepoStateAsync(did, state! with { Status = RepoStatuses.Active, SyncState = RepoSyncStates.Desynchronized, AccountSeq = account.Seq }, cancellationToken).ConfigureAwait(false);
                return !await _resyncer.ResyncAsync(did, "reactivated", null, cancellationToken).ConfigureAwait(false)
                    && await NeedsRetryAsync(did, cancellationToken).ConfigureAwait(false);
            default:
                if (state?.AccountSeq != account.Seq)
                {
                    // Already active (or not known yet): remember the event, so an older deactivation redelivered later
                    // (a crashed builder's unacked event) is recognised as stale instead of hiding the account.
                    await _store.PutRepoStateAsync(did, (state ?? new RepoState()) with { AccountSeq = account.Seq }, cancellationToken).ConfigureAwait(false);
                }

                return false;
        }
    }

    private async Task<bool> NeedsRetryAsync(string did, CancellationToken cancellationToken) =>
        EventDecisions.ShouldRetryResync((await _store.TrackAsync(did, cancellationToken).ConfigureAwait(false)).State, _options.HideInactiveAccounts);

    // Stateless verification with the cached identity, once more with a freshly resolved one when the signature fails
    // (a key rotation the cache has not seen), and last with the keys that identity superseded (only to recognise
    // replays and events a resync carried past; such an event is never applied). Null: rejected already (identity).
    private async ValueTask<VerifiedEvent?> VerifyAsync(FirehoseEvent firehoseEvent, string did, long seq, CancellationToken cancellationToken)
    {
        var eventType = firehoseEvent.Type ?? "?";
        if (await ResolveOrRejectAsync(did, eventType, seq, failedWith: null, cancellationToken).ConfigureAwait(false) is not { } cached)
        {
            return null;
        }

        var (identity, key) = cached;

        var result = Verify(firehoseEvent, key);
        if (result.FailedCheck != CommitCheck.Signature)
        {
            return new VerifiedEvent(result, identity, false);
        }

        if (await ResolveOrRejectAsync(did, eventType, seq, failedWith: identity, cancellationToken).ConfigureAwait(false) is not { } again)
        {
            return null;
        }

        var (refetched, refetchedKey) = again;

        // The same identity again means no refetch was allowed yet: its key fails the same way.
        if (!ReferenceEquals(refetched, identity))
        {
            identity = refetched;
            result = Verify(firehoseEvent, refetchedKey);
            if (result.FailedCheck != CommitCheck.Signature)
            {
                // Adopted only now that its key verifies the event: a document fetched ahead of the stream (the account
                // rotated its key, the #identity event is still to come) must not make the DID's commits signed before
                // the rotation look superseded.
                _identities.Adopt(did, refetched);
                return new VerifiedEvent(result, refetched, false);
            }
        }

        foreach (var former in identity.FormerKeys)
        {
            if (result.Commit?.VerifySignature(former) == true)
            {
                var withFormer = Verify(firehoseEvent, former);
                return new VerifiedEvent(withFormer, identity, withFormer.IsValid);
            }
        }

        return new VerifiedEvent(result, identity, false);
    }

    // The cached identity (or, after a signature failed with failedWith, the one fetched again when allowed) and its
    // signing key; null when it cannot be had, the event already rejected for it.
    private async ValueTask<(ResolvedIdentity Identity, AtprotoPublicKey Key)?> ResolveOrRejectAsync(string did, string eventType, long seq, ResolvedIdentity? failedWith, CancellationToken cancellationToken)
    {
        ResolvedIdentity identity;
        try
        {
            identity = failedWith is null
                ? await _identities.ResolveAsync(did, refresh: false, cancellationToken).ConfigureAwait(false)
                : await _identities.ResolveAfterSignatureFailureAsync(did, failedWith, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IdentityException or AtprotoHttpException)
        {
            Reject(eventType, did, seq, RejectionReasons.Identity, exception.Message);
            return null;
        }

        if (identity.Document.SigningKey is not { } key)
        {
            Reject(eventType, did, seq, RejectionReasons.Identity, "the DID document has no #atproto signing key");
            return null;
        }

        return (identity, key);
    }

    private CommitVerificationResult Verify(FirehoseEvent firehoseEvent, AtprotoPublicKey key) => firehoseEvent switch
    {
        CommitEvent commit => _verifier.Verify(commit, key),
        SyncEvent sync => _verifier.VerifySync(sync, key),
        _ => throw new ArgumentException("only #commit and #sync are verified", nameof(firehoseEvent)),
    };

    private void Reject(string eventType, string did, long seq, string reason, string? message)
    {
        _metrics.Rejected(reason);
        Log.EventRejected(_logger, eventType, did, seq, reason, message);
    }

    // Whether the commit creates or updates a record in an included collection its state does not name yet.
    private bool WritesNewCollection(RepoState? state, IReadOnlyList<RecordWrite> writes)
    {
        foreach (var write in writes)
        {
            if (write.Action != RepoAction.Delete && _filter.Includes(write.Collection) && !(state?.Collections.Contains(write.Collection) ?? false))
            {
                return true;
            }
        }

        return false;
    }

    // The included collections the commit creates or updates records in.
    private IEnumerable<string> CollectionsWritten(IReadOnlyList<RecordWrite> writes)
    {
        foreach (var write in writes)
        {
            if (write.Action != RepoAction.Delete && _filter.Includes(write.Collection))
            {
                yield return write.Collection;
            }
        }
    }

    private readonly record struct VerifiedEvent(CommitVerificationResult Result, ResolvedIdentity Identity, bool SignedBySupersededKey);
}
