using System.Globalization;
using System.Net;
using System.Text.Json;

namespace RecordKv.Cli.Commands;

/// <summary>
/// Pages <c>com.atproto.sync.listRepos</c> on the backfill host, with a timeout per request, a few retries on
/// network errors, 429 and 5xx (honouring Retry-After), and a cap on the page size in bytes.
/// </summary>
internal sealed class BackfillHostClient : IDisposable
{
    private const int MaxPageBytes = 32 * 1024 * 1024;
    private const int Attempts = 4;
    private readonly HttpClient _http;
    private readonly Uri _host;

    public BackfillHostClient(Uri host, HttpMessageHandler? handler = null)
    {
        _host = host;
        _http = new HttpClient(handler ?? new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.All }) { Timeout = TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("recordkv-backfill/1.0");
    }

    /// <summary>Reads one page; throws <see cref="CliException"/> with a one-line reason when the host cannot list.</summary>
    public async Task<BackfillListReposPage> ListReposAsync(string? cursor, int limit, CancellationToken cancellationToken)
    {
        var query = string.Create(CultureInfo.InvariantCulture, $"/xrpc/com.atproto.sync.listRepos?limit={limit}");
        if (cursor is not null)
        {
            query += "&cursor=" + Uri.EscapeDataString(cursor);
        }

        var uri = new Uri(_host, query);
        string? lastError = null;
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            TimeSpan? retryAfter = null;
            try
            {
                using var response = await _http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    if (response.Content.Headers.ContentLength > MaxPageBytes)
                    {
                        throw new CliException($"{_host} answered listRepos with {response.Content.Headers.ContentLength} bytes, more than {MaxPageBytes}");
                    }

                    var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                    return Parse(body, _host);
                }

                lastError = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
                if (response.StatusCode != HttpStatusCode.TooManyRequests && (int)response.StatusCode < 500)
                {
                    break;
                }

                retryAfter = response.Headers.RetryAfter?.Delta;
            }
            catch (HttpRequestException exception)
            {
                lastError = exception.Message;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                lastError = $"no answer within {_http.Timeout.TotalSeconds:0} s";
            }

            if (attempt < Attempts)
            {
                var delay = retryAfter ?? TimeSpan.FromMilliseconds(250 * Math.Pow(2, attempt - 1));
                await Task.Delay(delay > TimeSpan.FromSeconds(30) ? TimeSpan.FromSeconds(30) : delay, cancellationToken).ConfigureAwait(false);
            }
        }

        throw new CliException($"cannot list repositories on {_host}: {lastError}");
    }

    /// <summary>Parses a listRepos answer; throws <see cref="CliException"/> when it is not one.</summary>
    internal static BackfillListReposPage Parse(ReadOnlySpan<byte> json, Uri host)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("repos", out var repos) || repos.ValueKind != JsonValueKind.Array)
            {
                throw new CliException($"{host} answered listRepos without a 'repos' array: it is not an atproto PDS or relay");
            }

            var listed = new List<BackfillListedRepo>(repos.GetArrayLength());
            foreach (var repo in repos.EnumerateArray())
            {
                if (repo.ValueKind != JsonValueKind.Object || !repo.TryGetProperty("did", out var did) || did.ValueKind != JsonValueKind.String
                    || did.GetString() is not { } text || !text.StartsWith("did:", StringComparison.Ordinal))
                {
                    throw new CliException($"{host} answered listRepos with an entry without a valid 'did'");
                }

                var active = !repo.TryGetProperty("active", out var activeValue) || activeValue.ValueKind != JsonValueKind.False;
                var status = repo.TryGetProperty("status", out var statusValue) && statusValue.ValueKind == JsonValueKind.String ? statusValue.GetString() : null;
                listed.Add(new BackfillListedRepo(text, active, status));
            }

            var cursor = root.TryGetProperty("cursor", out var cursorValue) && cursorValue.ValueKind == JsonValueKind.String ? cursorValue.GetString() : null;
            return new BackfillListReposPage(listed, string.IsNullOrEmpty(cursor) ? null : cursor);
        }
        catch (JsonException exception)
        {
            throw new CliException($"{host} answered listRepos with invalid JSON: {exception.Message}", exception);
        }
    }

    public void Dispose() => _http.Dispose();
}
