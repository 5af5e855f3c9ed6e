using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;

namespace RecordKv.Builder;

/// <summary>
/// GETs with a per-attempt timeout, retries with jittered exponential backoff (honouring Retry-After) on network
/// errors, 429 and 5xx, a size cap, and a concurrency limit per host so one slow PDS cannot take every worker.
/// </summary>
internal sealed class AtprotoHttp : IDisposable
{
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(60);
    private readonly HttpClient _client;
    private readonly BuilderOptions _options;
    private readonly ILogger _logger;
    private readonly BuilderMetrics? _metrics;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _hostLimits = new(StringComparer.OrdinalIgnoreCase);

    public AtprotoHttp(BuilderOptions options, ILogger logger, HttpMessageHandler? handler = null, BuilderMetrics? metrics = null)
    {
        _options = options;
        _logger = logger;
        _metrics = metrics;
        _client = new HttpClient(handler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AutomaticDecompression = DecompressionMethods.All })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _client.DefaultRequestHeaders.UserAgent.ParseAdd("recordkv-builder/1.0");
    }

    /// <summary>Fetches a resource; <c>null</c> when the server answers 404 / 410 (or 400 RepoNotFound-style answers).</summary>
    public async Task<byte[]?> GetAsync(Uri uri, long maxBytes, CancellationToken cancellationToken, string? hostHeader = null)
    {
        var limit = _hostLimits.GetOrAdd(uri.Authority, _ => new SemaphoreSlim(_options.MaxConcurrentRequestsPerHost));
        Exception? lastError = null;
        HttpStatusCode? lastStatus = null;
        for (var attempt = 1; attempt <= _options.HttpAttempts; attempt++)
        {
            TimeSpan? retryAfter = null;
            await limit.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(_options.HttpTimeout);
                using var request = new HttpRequestMessage(HttpMethod.Get, uri);
                if (hostHeader is not null)
                {
                    request.Headers.Host = hostHeader;
                }

                using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                lastStatus = response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    if (response.Content.Headers.ContentLength > maxBytes)
                    {
                        throw new AtprotoHttpException($"{uri} answers {response.Content.Headers.ContentLength} bytes, more than the limit of {maxBytes}", uri, response.StatusCode);
                    }

                    return await ReadCappedAsync(response.Content, uri, maxBytes, timeout.Token).ConfigureAwait(false);
                }

                if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone or HttpStatusCode.BadRequest)
                {
                    return null;
                }

                if (response.StatusCode != HttpStatusCode.TooManyRequests && (int)response.StatusCode < 500)
                {
                    throw new AtprotoHttpException($"{uri} answered {(int)response.StatusCode}", uri, response.StatusCode);
                }

                _metrics?.HttpRetryable((int)response.StatusCode);
                retryAfter = RetryAfterOf(response);
                lastError = new AtprotoHttpException($"{uri} answered {(int)response.StatusCode}", uri, response.StatusCode);
            }
            catch (Exception exception) when (exception is HttpRequestException or IOException || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                _metrics?.HttpRetryable(0);
                lastError = exception;
            }
            finally
            {
                limit.Release();
            }

            if (attempt < _options.HttpAttempts)
            {
                var delay = retryAfter ?? TimeSpan.FromMilliseconds(_options.HttpRetryDelay.TotalMilliseconds * Math.Pow(2, attempt - 1) * (0.5 + Random.Shared.NextDouble()));
                Log.HttpRetry(_logger, uri, attempt, delay, lastError?.Message);
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
        }

        throw new AtprotoHttpException($"{uri} failed after {_options.HttpAttempts} attempts: {lastError?.Message}", uri, lastStatus, lastError);
    }

    private static TimeSpan? RetryAfterOf(HttpResponseMessage response)
    {
        var retryAfter = response.Headers.RetryAfter;
        TimeSpan? delay = retryAfter?.Delta ?? (retryAfter?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        if (delay is null && response.Headers.TryGetValues("RateLimit-Reset", out var values)
            && long.TryParse(values.FirstOrDefault(), out var resetSeconds))
        {
            delay = DateTimeOffset.FromUnixTimeSeconds(resetSeconds) - DateTimeOffset.UtcNow;
        }

        if (delay is null)
        {
            return null;
        }

        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay > MaxRetryAfter ? MaxRetryAfter : delay;
    }

    private static async Task<byte[]> ReadCappedAsync(HttpContent content, Uri uri, long maxBytes, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var memory = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (memory.Length + read > maxBytes)
                {
                    throw new AtprotoHttpException($"{uri} sent more than the limit of {maxBytes} bytes", uri);
                }

                memory.Write(buffer, 0, read);
            }

            return memory.ToArray();
        }
    }

    public void Dispose()
    {
        _client.Dispose();
        foreach (var limit in _hostLimits.Values)
        {
            limit.Dispose();
        }
    }
}
