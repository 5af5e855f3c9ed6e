using RecordKv.Atproto.Repo;

namespace RecordKv.Builder;

/// <summary>Fetches a repository from its PDS and verifies it: what a resync and a backfill job start from.</summary>
internal sealed class RepositoryFetcher
{
    private readonly BuilderOptions _options;
    private readonly IdentityResolver _identities;
    private readonly AtprotoHttp _http;

    /// <param name="options">Size cap and retry settings.</param>
    /// <param name="identities">Resolves the account's PDS and signing key.</param>
    /// <param name="http">The HTTP client, with its per-host limit (backfill has its own, so it never starves resyncs).</param>
    public RepositoryFetcher(BuilderOptions options, IdentityResolver identities, AtprotoHttp http)
    {
        _options = options;
        _identities = identities;
        _http = http;
    }

    /// <summary>
    /// The repository as its PDS serves it (getRepo from the PDS the DID document names, else
    /// <paramref name="fallbackPds"/>), loaded and fully verified — MST, record hashes, and the commit signature with
    /// the account's key (fetched again once when it fails). A null repository: the PDS does not serve it (not found or
    /// inactive). A CAR cut short by the network or a PDS hiccup is fetched again, up to <c>HttpAttempts</c> times.
    /// </summary>
    public async Task<(Repository? Repository, Uri Pds)> FetchAsync(string did, Uri? fallbackPds, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await FetchOnceAsync(did, fallbackPds, cancellationToken).ConfigureAwait(false);
            }
            catch (FormatException) when (attempt < _options.HttpAttempts)
            {
                await Task.Delay(_options.HttpRetryDelay * attempt, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<(Repository? Repository, Uri Pds)> FetchOnceAsync(string did, Uri? fallbackPds, CancellationToken cancellationToken)
    {
        var identity = await _identities.ResolveAsync(did, refresh: false, cancellationToken).ConfigureAwait(false);
        var pds = identity.Document.PdsEndpoint ?? fallbackPds ?? throw new ResyncException($"{did}: the DID document names no PDS and no host is known for it");
        var uri = new Uri(pds, $"/xrpc/com.atproto.sync.getRepo?did={Uri.EscapeDataString(did)}");
        var car = await _http.GetAsync(uri, _options.MaxRepoBytes, cancellationToken).ConfigureAwait(false);
        if (car is null)
        {
            return (null, pds);
        }

        var repository = Repository.Load(car);
        if (repository.Did != did)
        {
            throw new ResyncException($"{did}: getRepo returned the repository of {repository.Did}");
        }

        if (identity.Document.SigningKey is not { } signingKey || !repository.VerifySignature(signingKey))
        {
            identity = await _identities.ResolveAsync(did, refresh: true, cancellationToken).ConfigureAwait(false);
            if (identity.Document.SigningKey is not { } freshKey || !repository.VerifySignature(freshKey))
            {
                throw new ResyncException($"{did}: the repository's commit signature does not verify with the account's key");
            }
        }

        return (repository, pds);
    }
}
