using Microsoft.Extensions.Logging;
using RecordKv.Atproto.Identity;
using RecordKv.Contracts;

namespace RecordKv.Builder;

/// <summary>
/// Resolves DIDs (<c>did:plc</c> through the PLC directory, <c>did:web</c> through the host's well-known document)
/// with a bounded least-recently-used in-memory cache with a TTL over the shared <c>identity</c> bucket. The cache also
/// remembers a DID's superseded signing keys (see <see cref="ResolvedIdentity.FormerKeys"/>).
/// </summary>
internal sealed class IdentityResolver
{
    private readonly BuilderOptions _options;
    private readonly AtprotoHttp _http;
    private readonly BuilderStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly BoundedLruCache<string, ResolvedIdentity> _cache;

    public IdentityResolver(BuilderOptions options, AtprotoHttp http, BuilderStore store, ILogger logger, TimeProvider? time = null)
    {
        _options = options;
        _http = http;
        _store = store;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _cache = new BoundedLruCache<string, ResolvedIdentity>(Math.Max(1, options.IdentityCacheSize), StringComparer.Ordinal);
    }

    /// <summary>Identities held in memory now.</summary>
    public int CachedCount => _cache.Count;

    /// <summary>Returns the DID's document: cached unless <paramref name="refresh"/> or expired.</summary>
    /// <remarks>A cache hit (every commit of a known DID) completes synchronously, without allocating a task.</remarks>
    public ValueTask<ResolvedIdentity> ResolveAsync(string did, bool refresh, CancellationToken cancellationToken) =>
        ResolveAsync(did, refresh, adopt: true, cancellationToken);

    /// <summary>
    /// Returns the DID's document: cached unless <paramref name="refresh"/> or expired. A fetched document replaces
    /// the cached one only when <paramref name="adopt"/>; otherwise it is returned (with the cached key among its
    /// former keys) for the caller to <see cref="Adopt"/> once it proves right.
    /// </summary>
    public ValueTask<ResolvedIdentity> ResolveAsync(string did, bool refresh, bool adopt, CancellationToken cancellationToken)
    {
        if (!refresh && _cache.TryGet(did, out var cached) && _time.GetUtcNow() - cached.FetchedAt < _options.IdentityCacheTtl)
        {
            return ValueTask.FromResult(cached);
        }

        return new ValueTask<ResolvedIdentity>(ResolveSlowAsync(did, refresh, adopt, cancellationToken));
    }

    private async Task<ResolvedIdentity> ResolveSlowAsync(string did, bool refresh, bool adopt, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (!refresh)
        {
            if (_cache.TryGet(did, out var cached) && now - cached.FetchedAt < _options.IdentityCacheTtl)
            {
                return cached;
            }

            var stored = await ReadStoredAsync(did, cancellationToken).ConfigureAwait(false);
            if (stored is not null && now - stored.FetchedAt < _options.IdentityCacheTtl)
            {
                return Remember(did, stored);
            }
        }

        var uri = DocumentUri(_options, did, out var hostHeader);
        var json = await _http.GetAsync(uri, DidDocument.MaxDocumentBytes, cancellationToken, hostHeader).ConfigureAwait(false)
            ?? throw new IdentityException(did, "the DID document was not found");
        DidDocument document;
        try
        {
            document = DidDocument.Parse(json);
        }
        catch (Exception exception) when (exception is DidDocumentException or FormatException or System.Text.Json.JsonException)
        {
            throw new IdentityException(did, $"the DID document is invalid: {exception.Message}", exception);
        }

        if (!string.Equals(document.Id, did, StringComparison.Ordinal))
        {
            throw new IdentityException(did, $"the DID document is for {document.Id}");
        }

        if (!adopt)
        {
            var fetched = new ResolvedIdentity(document, now);
            return _cache.TryGet(did, out var current) ? current.Succeed(fetched) : fetched;
        }

        var resolved = Remember(did, new ResolvedIdentity(document, now));
        await _store.Identities.PutAsync(RecordStoreKeys.RepoKeyFor(did), json, cancellationToken: cancellationToken).ConfigureAwait(false);
        Log.IdentityResolved(_logger, did, document.PdsEndpoint?.ToString(), refresh);
        return resolved;
    }

    /// <summary>Makes an identity fetched without adopting it the DID's cached one (its former keys already merged).</summary>
    public void Adopt(string did, ResolvedIdentity identity) => _cache.Set(did, identity);

    /// <summary>
    /// Returns the DID's document after a signature failed with <paramref name="used"/>: fetched again (a key rotation
    /// the cache has not seen) unless a signature failure already did that within
    /// <see cref="BuilderOptions.SignatureFailureRefetchInterval"/>, in which case <paramref name="used"/> is returned.
    /// The fetched document is not adopted (the caller adopts it with <see cref="Adopt"/> once its key verifies the
    /// event); the cached identity is marked, so the limit holds either way.
    /// </summary>
    public async Task<ResolvedIdentity> ResolveAfterSignatureFailureAsync(string did, ResolvedIdentity used, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (!used.MayRefetchForSignatureFailure(now, _options.SignatureFailureRefetchInterval))
        {
            return used;
        }

        var fresh = await ResolveAsync(did, refresh: true, adopt: false, cancellationToken).ConfigureAwait(false);
        _cache.Set(did, (_cache.TryGet(did, out var cached) ? cached : used) with { RefetchedForSignatureFailureAt = now });
        return fresh with { RefetchedForSignatureFailureAt = now };
    }

    /// <summary>
    /// Forgets the cached documents of a partition's DIDs: called when this builder starts consuming the partition,
    /// because another builder may have held it meanwhile and applied <c>#identity</c> events (key rotations) this
    /// cache never saw. The next resolution reads the shared identity bucket, which that builder kept current.
    /// </summary>
    public void ForgetPartition(int partition) => _cache.RemoveWhere(did => _store.Partitioner.PartitionOf(did) == partition);

    /// <summary>Forgets the cached document (and former keys) so the next resolution fetches it.</summary>
    public void Invalidate(string did) => _cache.Remove(did);

    private async Task<ResolvedIdentity?> ReadStoredAsync(string did, CancellationToken cancellationToken)
    {
        var entry = await _store.Identities.GetAsync(RecordStoreKeys.RepoKeyFor(did), cancellationToken).ConfigureAwait(false);
        if (entry is null || entry.Value.IsEmpty)
        {
            return null;
        }

        try
        {
            return new ResolvedIdentity(DidDocument.Parse(entry.Value.Span), entry.Created);
        }
        catch (Exception exception) when (exception is DidDocumentException or FormatException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    // The least recently used identity goes when the cache is full (the identity bucket still serves it); a DID's
    // former keys carry over from the entry being replaced.
    private ResolvedIdentity Remember(string did, ResolvedIdentity identity)
    {
        var remembered = _cache.TryGet(did, out var previous) ? previous.Succeed(identity) : identity;
        _cache.Set(did, remembered);
        return remembered;
    }

    /// <summary>Where a DID's document lives.</summary>
    internal static Uri DocumentUri(BuilderOptions options, string did, out string? hostHeader)
    {
        hostHeader = null;
        if (did.StartsWith("did:plc:", StringComparison.Ordinal))
        {
            // The identifier goes into a URL path: only the base32 alphabet did:plc uses is allowed.
            var id = did.AsSpan("did:plc:".Length);
            if (id.Length != 24 || id.ContainsAnyExcept("abcdefghijklmnopqrstuvwxyz234567"))
            {
                throw new IdentityException(did, "not a valid did:plc identifier");
            }

            return new Uri($"{options.PlcDirectory.TrimEnd('/')}/{did}");
        }

        if (did.StartsWith("did:web:", StringComparison.Ordinal))
        {
            var host = did["did:web:".Length..];
            if (host.Length == 0 || host.Contains(':', StringComparison.Ordinal))
            {
                throw new IdentityException(did, "did:web with a path is not supported by atproto");
            }

            host = host.Replace("%3A", ":", StringComparison.OrdinalIgnoreCase);
            if (host.AsSpan().ContainsAnyExcept("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:"))
            {
                throw new IdentityException(did, "the did:web host has characters a host name cannot have");
            }

            if (options.DidWebGateway is { } gateway)
            {
                hostHeader = host;
                return new Uri($"{gateway.TrimEnd('/')}/.well-known/did.json");
            }

            var hostName = host.Split(':')[0];
            var loopback = hostName is "localhost" or "127.0.0.1" || hostName.EndsWith(".localhost", StringComparison.Ordinal);
            var scheme = options.AllowHttpDidWebOnLoopback && loopback ? "http" : "https";
            if (!Uri.TryCreate($"{scheme}://{host}/.well-known/did.json", UriKind.Absolute, out var uri))
            {
                throw new IdentityException(did, "the did:web host is not a valid host name");
            }

            return uri;
        }

        throw new IdentityException(did, "only did:plc and did:web are supported");
    }
}
