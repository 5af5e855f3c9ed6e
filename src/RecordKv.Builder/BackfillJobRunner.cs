using Microsoft.Extensions.Logging;
using RecordKv.Atproto.Repo;
using RecordKv.Coordination;

namespace RecordKv.Builder;

/// <summary>
/// Runs one backfill job: getRepo from the account's PDS (the listing host when the DID document names none), full
/// verification (the whole MST and every record hash on load, the commit signature with the resolved key, refreshed
/// once), then — holding the DID in the <see cref="BackfillDidGate"/> so no live event of it runs meanwhile — the rev
/// guard and the diff against the store: creates/updates, deletes of records the repository no longer has, and the
/// repo state last (the commit point).
/// </summary>
/// <remarks>
/// Unlike a live resync it never overtakes: a store already at a newer revision is left alone. A job restricted to
/// some collections lists, writes and deletes only those; records of other collections stay as they are.
/// </remarks>
internal sealed class BackfillJobRunner
{
    private const int MaxFetches = 3;
    private readonly BuilderOptions _options;
    private readonly BuilderStore _store;
    private readonly RepositoryFetcher _fetcher;
    private readonly BackfillDidGate _gate;
    private readonly BuilderMetrics _metrics;
    private readonly CollectionFilter _builderFilter;
    private readonly ILogger _logger;

    public BackfillJobRunner(BuilderOptions options, BuilderStore store, IdentityResolver identities, AtprotoHttp http, BackfillDidGate gate, BuilderMetrics metrics, ILogger logger)
    {
        _options = options;
        _store = store;
        _fetcher = new RepositoryFetcher(options, identities, http);
        _gate = gate;
        _metrics = metrics;
        _logger = logger;
        _builderFilter = new CollectionFilter(options.Collections);
    }

    /// <summary>Runs the job; expected failures (PDS, identity, verification) are returned as <see cref="BackfillOutcome.Failed"/>, store failures throw.</summary>
    public async Task<BackfillJobResult> RunAsync(BackfillJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        Uri? host = Uri.TryCreate(job.Host, UriKind.Absolute, out var parsed) ? parsed : null;
        for (var attempt = 1; ; attempt++)
        {
            Repository? repository;
            Uri pds;
            try
            {
                (repository, pds) = await _fetcher.FetchAsync(job.Did, host, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is AtprotoHttpException or IdentityException or FormatException or ResyncException)
            {
                _metrics.Rejected(RejectionReasons.ResyncFailed);
                return new BackfillJobResult(BackfillOutcome.Failed, 0, 0, exception.Message);
            }

            // Fetched and verified outside the gate, so live events of the DID wait only for the writes.
            using var lease = await _gate.EnterBackfillAsync(job.Did, cancellationToken).ConfigureAwait(false);
            if (repository is null)
            {
                return job.Active
                    ? new BackfillJobResult(BackfillOutcome.Failed, 0, 0, $"{pds} does not serve the repository (not found or inactive)")
                    : await RecordInactiveAsync(job, cancellationToken).ConfigureAwait(false);
            }

            var result = await ApplyAsync(job, repository, pds.ToString(), cancellationToken).ConfigureAwait(false);

            // Live events overtook the fetch: the PDS has that newer revision too, so fetch again rather than leave
            // a store that began mid-history (no resync of unknown repositories) without its older records.
            if (result.Outcome != BackfillOutcome.Skipped || attempt >= MaxFetches)
            {
                return result;
            }
        }
    }

    private async Task<BackfillJobResult> ApplyAsync(BackfillJob job, Repository repository, string pds, CancellationToken cancellationToken)
    {
        var did = job.Did;
        var state = await _store.GetRepoStateAsync(did, cancellationToken).ConfigureAwait(false);
        if (state?.Rev is { } storedRev && string.CompareOrdinal(storedRev, repository.Rev ?? "") > 0)
        {
            // Live events carried the store past the fetched revision: writing would go back in time.
            return new BackfillJobResult(BackfillOutcome.Skipped, 0, 0);
        }

        var jobFilter = new CollectionFilter(job.Collections);
        var existing = await _store.ListRecordsAsync(did, state, cancellationToken).ConfigureAwait(false);
        var known = (state ?? new RepoState()).CollectionsWith(repository.GetCollections());
        state = await _store.AnnounceCollectionsAsync(did, state, known, cancellationToken).ConfigureAwait(false);
        var (written, deleted, indexDeltas) = await _store.ReconcileAsync(
            did, repository, existing, collection => _builderFilter.Includes(collection) && jobFilter.Includes(collection), jobFilter.Includes, cancellationToken).ConfigureAwait(false);

        // The PDS serves the repository, so the account is active there; a later #account event says otherwise if not.
        var next = (state ?? new RepoState()) with
        {
            Rev = repository.Rev,
            Data = repository.DataCid.ToString(),
            Commit = repository.CommitCid.ToString(),
            Status = RepoStatuses.Active,
            SyncState = RepoSyncStates.Synchronized,
            Pds = pds,
            Collections = known,
            IndexDeltas = indexDeltas,
        };
        await _store.PutRepoStateAsync(did, next, cancellationToken).ConfigureAwait(false);
        _metrics.ResyncDone(written + deleted);
        return new BackfillJobResult(BackfillOutcome.Synchronized, written, deleted);
    }

    private async Task<BackfillJobResult> RecordInactiveAsync(BackfillJob job, CancellationToken cancellationToken)
    {
        var state = await _store.GetRepoStateAsync(job.Did, cancellationToken).ConfigureAwait(false);
        var status = string.IsNullOrEmpty(job.Status) ? "deactivated" : job.Status;
        var next = (state ?? new RepoState()) with { Status = status };
        var removed = 0;

        // The record index lists what the store holds, even of a DID without a state (every writer adds a record's path
        // before the record): reading it costs one get when it holds nothing.
        if (status == RepoStatuses.Deleted || _options.HideInactiveAccounts)
        {
            removed = await _store.RemoveAllRecordsAsync(job.Did, state, cancellationToken).ConfigureAwait(false);
            next = next with { Collections = [], IndexDeltas = 0 };
        }

        await _store.PutRepoStateAsync(job.Did, next, cancellationToken).ConfigureAwait(false);
        return new BackfillJobResult(BackfillOutcome.Inactive, 0, removed);
    }
}
