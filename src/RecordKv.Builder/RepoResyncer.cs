using Microsoft.Extensions.Logging;

namespace RecordKv.Builder;

/// <summary>
/// Brings a repository's records in the store to its PDS's current state: getRepo, full verification (MST, record
/// hashes, signature with the resolved key, refreshed once), creates/updates and deletes, then the repo state.
/// </summary>
internal sealed class RepoResyncer
{
    private readonly BuilderOptions _options;
    private readonly BuilderStore _store;
    private readonly RepositoryFetcher _fetcher;
    private readonly BuilderMetrics _metrics;
    private readonly CollectionFilter _filter;
    private readonly ILogger _logger;

    public RepoResyncer(BuilderOptions options, BuilderStore store, IdentityResolver identities, AtprotoHttp http, BuilderMetrics metrics, ILogger logger)
    {
        _options = options;
        _store = store;
        _fetcher = new RepositoryFetcher(options, identities, http);
        _metrics = metrics;
        _logger = logger;
        _filter = new CollectionFilter(options.Collections);
    }

    /// <summary>Resyncs one repository; false (logged, counted, state left desynchronized) when it cannot.</summary>
    /// <param name="did">The repository.</param>
    /// <param name="reason">Why (for the log).</param>
    /// <param name="fallbackPds">Where to fetch when the DID document names no PDS (backfill's host).</param>
    /// <param name="cancellationToken">Stops the resync; the state stays desynchronized and a later event retries.</param>
    public async Task<bool> ResyncAsync(string did, string reason, Uri? fallbackPds, CancellationToken cancellationToken)
    {
        var state = await _store.GetRepoStateAsync(did, cancellationToken).ConfigureAwait(false) ?? new RepoState();
        try
        {
            var visible = state.IsActive || !_options.HideInactiveAccounts;
            var (fetched, pds) = await _fetcher.FetchAsync(did, fallbackPds, cancellationToken).ConfigureAwait(false);
            var repository = fetched
                ?? throw new ResyncException($"{did}: {pds} does not serve the repository (not found or inactive)", repositoryUnavailable: true);
            var existing = await _store.ListRecordsAsync(did, state, cancellationToken).ConfigureAwait(false);
            // A hidden account keeps no records, so later listings of it cost nothing until it is visible again.
            var collections = visible ? state.CollectionsWith(repository.GetCollections()) : [];
            state = (await _store.AnnounceCollectionsAsync(did, state, collections, cancellationToken).ConfigureAwait(false))!;

            var (written, deleted, indexDeltas) = await _store.ReconcileAsync(
                did, repository, existing, visible ? _filter.Includes : static _ => false, static _ => true, cancellationToken).ConfigureAwait(false);
            var next = state with
            {
                Rev = repository.Rev,
                Data = repository.DataCid.ToString(),
                Commit = repository.CommitCid.ToString(),
                SyncState = RepoSyncStates.Synchronized,
                Pds = pds.ToString(),
                Collections = collections,
                IndexDeltas = indexDeltas,
            };
            await _store.PutRepoStateAsync(did, next, cancellationToken).ConfigureAwait(false);
            _metrics.ResyncDone(written + deleted);
            Log.Resynced(_logger, did, reason, written, deleted, repository.Rev);
            return true;
        }
        catch (Exception exception) when (exception is AtprotoHttpException or IdentityException or FormatException or ResyncException)
        {
            _metrics.Rejected(exception is ResyncException { RepositoryUnavailable: true } ? RejectionReasons.RepoUnavailable : RejectionReasons.ResyncFailed);
            Log.ResyncFailed(_logger, did, exception.Message);
            if (state.SyncState != RepoSyncStates.Desynchronized)
            {
                await _store.PutRepoStateAsync(did, state with { SyncState = RepoSyncStates.Desynchronized }, cancellationToken).ConfigureAwait(false);
            }

            return false;
        }
    }
}
