using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using RecordKv.Atproto.Blocks;
using RecordKv.Atproto.Cbor;
using RecordKv.Atproto.Firehose;
using RecordKv.Simulator.Generation;
using RecordKv.Simulator.Http;

namespace RecordKv.Simulator;

public sealed partial class FirehoseSimulator
{
    private const int MaxListLimit = 1000;

    private void MapEndpoints(WebApplication app)
    {
        app.MapGet("/xrpc/com.atproto.sync.subscribeRepos", SubscribeReposAsync);
        app.MapGet("/xrpc/com.atproto.sync.getRepo", GetRepoAsync);
        app.MapGet("/xrpc/com.atproto.sync.listRepos", ListReposAsync);
        app.MapGet("/xrpc/com.atproto.sync.getLatestCommit", GetLatestCommitAsync);
        app.MapGet("/xrpc/com.atproto.sync.getRepoStatus", GetRepoStatusAsync);
        app.MapGet("/xrpc/com.atproto.repo.describeRepo", DescribeRepoAsync);
        app.MapGet("/xrpc/com.atproto.repo.listRecords", ListRecordsAsync);
        app.MapGet("/xrpc/com.atproto.identity.resolveHandle", ResolveHandleAsync);
        app.MapGet("/xrpc/_health", context => WriteJsonAsync(context, 200, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("version", "recordkv-sim");
            writer.WriteEndObject();
        }));
        app.MapGet("/.well-known/did.json", DidWebDocumentAsync);
        app.MapGet("/_sim/expected", ExpectedAsync);
        app.MapGet("/_sim/stats", context => WriteJsonAsync(context, 200, writer => _stats.Write(writer, _pipeline.Elapsed, _pipeline.IsComplete)));
        app.MapGet("/{did}", PlcDocumentAsync);
        app.MapGet("/{did}/data", PlcDataAsync);
    }

    private async Task GetRepoAsync(HttpContext context)
    {
        Interlocked.Increment(ref _stats.GetRepoRequests);
        if (!TryGetAccount(context, "did", out var account, out var state))
        {
            await RepoNotFoundAsync(context).ConfigureAwait(false);
            return;
        }

        if (!state.IsActive)
        {
            await InactiveAsync(context, state).ConfigureAwait(false);
            return;
        }

        if (DrawRequestFault(SimulatorFault.GetRepoError))
        {
            _stats.CountFault(SimulatorFault.GetRepoError);
            await XrpcErrorAsync(context, 500, "InternalServerError", "injected fault: getrepo-500").ConfigureAwait(false);
            return;
        }

        if (DrawRequestFault(SimulatorFault.GetRepoRateLimited))
        {
            _stats.CountFault(SimulatorFault.GetRepoRateLimited);
            context.Response.Headers.RetryAfter = "1";
            await XrpcErrorAsync(context, 429, "RateLimitExceeded", "injected fault: getrepo-429").ConfigureAwait(false);
            return;
        }

        var since = context.Request.Query["since"].ToString();
        var car = BuildRepoCar(state, string.IsNullOrEmpty(since) ? null : since);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/vnd.ipld.car";
        if (DrawRequestFault(SimulatorFault.GetRepoTruncated))
        {
            _stats.CountFault(SimulatorFault.GetRepoTruncated);
            await context.Response.Body.WriteAsync(car.AsMemory(0, car.Length / 2), context.RequestAborted).ConfigureAwait(false);
            return;
        }

        if (DrawRequestFault(SimulatorFault.GetRepoSlow))
        {
            _stats.CountFault(SimulatorFault.GetRepoSlow);
            const int Chunks = 20;
            var chunk = Math.Max(1, (car.Length + Chunks - 1) / Chunks);
            for (var offset = 0; offset < car.Length; offset += chunk)
            {
                await context.Response.Body.WriteAsync(car.AsMemory(offset, Math.Min(chunk, car.Length - offset)), context.RequestAborted).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
                await Task.Delay(100, context.RequestAborted).ConfigureAwait(false);
            }

            return;
        }

        context.Response.ContentLength = car.Length;
        await context.Response.Body.WriteAsync(car, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// The repository as a CAR: the signed commit, every MST node, and the records (only those written after
    /// <paramref name="since"/> when given; the MST nodes are always all included, a superset of the diff).
    /// </summary>
    internal static byte[] BuildRepoCar(AccountState state, string? since)
    {
        var blocks = new BlockMap();
        state.Tree.WriteBlocks(blocks);
        foreach (var (_, record) in state.Records)
        {
            if (since is null || string.CompareOrdinal(record.Rev, since) > 0)
            {
                blocks.Add(record.Cid, record.Block);
            }
        }

        return CommitEventFactory.WriteRepositoryCar(state.Commit!, blocks);
    }

    private Task ListReposAsync(HttpContext context)
    {
        var limit = ParseLimit(context, 500);
        var start = int.TryParse(context.Request.Query["cursor"], out var cursor) ? Math.Max(0, cursor) : 0;
        var accounts = _generator.Accounts;
        var end = Math.Min(accounts.Count, start + limit);
        return WriteJsonAsync(context, 200, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("repos");
            for (var i = start; i < end; i++)
            {
                var state = accounts[i].Published;
                writer.WriteStartObject();
                writer.WriteString("did", state.Did);
                writer.WriteString("head", state.CommitCid.ToString());
                writer.WriteString("rev", state.Rev);
                writer.WriteBoolean("active", state.IsActive);
                if (state.StatusText is { } status)
                {
                    writer.WriteString("status", status);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            if (end < accounts.Count)
            {
                writer.WriteString("cursor", end.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            writer.WriteEndObject();
        });
    }

    private async Task GetLatestCommitAsync(HttpContext context)
    {
        if (!TryGetAccount(context, "did", out _, out var state))
        {
            await RepoNotFoundAsync(context).ConfigureAwait(false);
            return;
        }

        if (!state.IsActive)
        {
            await InactiveAsync(context, state).ConfigureAwait(false);
            return;
        }

        await WriteJsonAsync(context, 200, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("cid", state.CommitCid.ToString());
            writer.WriteString("rev", state.Rev);
            writer.WriteEndObject();
        }).ConfigureAwait(false);
    }

    private async Task GetRepoStatusAsync(HttpContext context)
    {
        if (!TryGetAccount(context, "did", out _, out var state))
        {
            await RepoNotFoundAsync(context).ConfigureAwait(false);
            return;
        }

        await WriteJsonAsync(context, 200, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("did", state.Did);
            writer.WriteBoolean("active", state.IsActive);
            if (state.StatusText is { } status)
            {
                writer.WriteString("status", status);
            }

            writer.WriteString("rev", state.Rev);
            writer.WriteEndObject();
        }).ConfigureAwait(false);
    }

    private async Task DescribeRepoAsync(HttpContext context)
    {
        if (!TryGetAccount(context, "repo", out var account, out var state))
        {
            await RepoNotFoundAsync(context).ConfigureAwait(false);
            return;
        }

        await WriteJsonAsync(context, 200, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("handle", state.Handle);
            writer.WriteString("did", state.Did);
            writer.WritePropertyName("didDoc");
            DidDocumentWriter.WriteDocument(writer, account, state, PdsEndpoint);
            writer.WriteStartArray("collections");
            string? previous = null;
            foreach (var (key, _) in state.Records)
            {
                var collection = key[..key.IndexOf('/', StringComparison.Ordinal)];
                if (collection != previous)
                {
                    writer.WriteStringValue(collection);
                    previous = collection;
                }
            }

            writer.WriteEndArray();
            writer.WriteBoolean("handleIsCorrect", true);
            writer.WriteEndObject();
        }).ConfigureAwait(false);
    }

    private async Task ListRecordsAsync(HttpContext context)
    {
        if (!TryGetAccount(context, "repo", out _, out var state))
        {
            await RepoNotFoundAsync(context).ConfigureAwait(false);
            return;
        }

        var collection = context.Request.Query["collection"].ToString();
        var limit = ParseLimit(context, 50);
        var cursor = context.Request.Query["cursor"].ToString();
        var prefix = collection + "/";
        await WriteJsonAsync(context, 200, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("records");
            var count = 0;
            string? last = null;
            foreach (var (key, record) in state.Records)
            {
                if (!key.StartsWith(prefix, StringComparison.Ordinal) || (cursor.Length > 0 && string.CompareOrdinal(key[prefix.Length..], cursor) <= 0))
                {
                    continue;
                }

                if (count == limit)
                {
                    break;
                }

                writer.WriteStartObject();
                writer.WriteString("uri", $"at://{state.Did}/{key}");
                writer.WriteString("cid", record.Cid.ToString());
                writer.WritePropertyName("value");
                DagCborJson.WriteJson(record.Block.Span, writer);
                writer.WriteEndObject();
                count++;
                last = key[prefix.Length..];
            }

            writer.WriteEndArray();
            if (count == limit && last is not null)
            {
                writer.WriteString("cursor", last);
            }

            writer.WriteEndObject();
        }).ConfigureAwait(false);
    }

    private async Task ResolveHandleAsync(HttpContext context)
    {
        var handle = context.Request.Query["handle"].ToString();
        foreach (var account in _generator.Accounts)
        {
            var state = account.Published;
            if (string.Equals(state.Handle, handle, StringComparison.OrdinalIgnoreCase))
            {
                await WriteJsonAsync(context, 200, writer =>
                {
                    writer.WriteStartObject();
                    writer.WriteString("did", state.Did);
                    writer.WriteEndObject();
                }).ConfigureAwait(false);
                return;
            }
        }

        await XrpcErrorAsync(context, 400, "HandleNotFound", $"no account has handle {handle}").ConfigureAwait(false);
    }

    private async Task PlcDocumentAsync(HttpContext context)
    {
        var did = Uri.UnescapeDataString(context.Request.RouteValues["did"]?.ToString() ?? string.Empty);
        if (_generator.FindAccount(did) is not { } account)
        {
            await NotFoundAsync(context, did).ConfigureAwait(false);
            return;
        }

        var state = account.Published;
        await WriteJsonAsync(context, 200, writer => DidDocumentWriter.WriteDocument(writer, account, state, PdsEndpoint)).ConfigureAwait(false);
    }

    private async Task PlcDataAsync(HttpContext context)
    {
        var did = Uri.UnescapeDataString(context.Request.RouteValues["did"]?.ToString() ?? string.Empty);
        if (_generator.FindAccount(did) is not { } account || account.IsWeb)
        {
            await NotFoundAsync(context, did).ConfigureAwait(false);
            return;
        }

        var state = account.Published;
        await WriteJsonAsync(context, 200, writer => DidDocumentWriter.WritePlcData(writer, state, PdsEndpoint)).ConfigureAwait(false);
    }

    // did:web accounts are did:web:w<N>.sim.localhost: the Host header names the account (any port).
    private async Task DidWebDocumentAsync(HttpContext context)
    {
        var host = context.Request.Host.Host;
        if (_generator.FindAccount("did:web:" + host) is not { } account)
        {
            await NotFoundAsync(context, "did:web:" + host).ConfigureAwait(false);
            return;
        }

        var state = account.Published;
        await WriteJsonAsync(context, 200, writer => DidDocumentWriter.WriteDocument(writer, account, state, PdsEndpoint)).ConfigureAwait(false);
    }

    private async Task ExpectedAsync(HttpContext context)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/x-ndjson";
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        await using var json = new Utf8JsonWriter(buffer);
        foreach (var account in _generator.Accounts)
        {
            var state = account.Published;
            json.Reset(buffer);
            ExpectedWriter.WriteAccount(json, state);
            await json.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            buffer.Write("\n"u8);
            if (buffer.WrittenCount > 32 * 1024)
            {
                await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
                buffer.ResetWrittenCount();
            }
        }

        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }

    private bool TryGetAccount(HttpContext context, string parameter, out SimAccount account, out AccountState state)
    {
        var did = context.Request.Query[parameter].ToString();
        if (_generator.FindAccount(did) is { } found && found.Published.Status != AccountStatus.Deleted)
        {
            account = found;
            state = found.Published;
            return true;
        }

        account = null!;
        state = null!;
        return false;
    }

    private static int ParseLimit(HttpContext context, int fallback) =>
        int.TryParse(context.Request.Query["limit"], out var limit) ? Math.Clamp(limit, 1, MaxListLimit) : fallback;

    private static Task RepoNotFoundAsync(HttpContext context) =>
        XrpcErrorAsync(context, 400, "RepoNotFound", "Could not find repo: " + context.Request.Query["did"] + context.Request.Query["repo"]);

    private static Task InactiveAsync(HttpContext context, AccountState state) => state.Status switch
    {
        AccountStatus.Takendown => XrpcErrorAsync(context, 400, "RepoTakendown", $"Repo has been takendown: {state.Did}"),
        _ => XrpcErrorAsync(context, 400, "RepoDeactivated", $"Repo has been deactivated: {state.Did}"),
    };

    private static Task NotFoundAsync(HttpContext context, string did) =>
        XrpcErrorAsync(context, 404, "NotFound", $"DID not registered: {did}");

    private static Task XrpcErrorAsync(HttpContext context, int status, string error, string message) =>
        WriteJsonAsync(context, status, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("error", error);
            writer.WriteString("message", message);
            writer.WriteEndObject();
        });

    private static async Task WriteJsonAsync(HttpContext context, int status, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        await using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = buffer.WrittenCount;
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }
}
