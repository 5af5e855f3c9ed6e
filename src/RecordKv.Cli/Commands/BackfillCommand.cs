using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using RecordKv.Contracts;
using RecordKv.Coordination;
using RecordKv.Nats;
using RecordKv.Nats.JetStream;
using RecordKv.Nats.KeyValue;

namespace RecordKv.Cli.Commands;

/// <summary>
/// The <c>backfill</c> verb: lists the repositories of a host (<c>com.atproto.sync.listRepos</c>) and enqueues one
/// resync job per repository into the BACKFILL stream, which the builders process behind live events; then shows
/// their progress until every job is finished (or leaves at once with <c>--no-wait</c>). Its state lives in the
/// control bucket, so a rerun resumes where an interrupted one stopped.
/// </summary>
internal static class BackfillCommand
{
    private static readonly TimeSpan CounterGrace = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan ProgressReadTimeout = TimeSpan.FromSeconds(3);

    public static Command Build()
    {
        var connection = new StoreConnectionOptions();
        var host = new Option<string>("--host") { Description = "The PDS or relay whose repositories to backfill, e.g. https://bsky.network.", Required = true };
        var collections = new Option<string[]>("--collections")
        {
            Description = "Store only these collections (NSIDs, or prefixes ending in '*'; space- or comma-separated). Default: all.",
            AllowMultipleArgumentsPerToken = true,
        };
        var dids = new Option<FileInfo?>("--dids") { Description = "Backfill only the DIDs in this file (one per line; '#' starts a comment)." };
        var noWait = new Option<bool>("--no-wait") { Description = "Enqueue the jobs and leave; the builders process them (rerun to watch progress)." };
        var restart = new Option<bool>("--restart") { Description = "Start a new run of this host from the first page, forgetting the saved one." };
        var pageSize = new Option<int>("--page-size") { Description = "Repositories per listRepos page (1-1000).", DefaultValueFactory = _ => 1000 };
        var partitions = new Option<int>("--partitions") { Description = "Partition count, used only when the store does not exist yet.", DefaultValueFactory = _ => DidPartitioner.DefaultPartitionCount };
        var interval = new Option<double>("--interval") { Description = "Seconds between progress updates.", DefaultValueFactory = _ => 1 };
        var command = connection.AddTo(new Command("backfill", "Enqueue a resync of every repository of a host (listRepos) for the builders, and show their progress.")
        {
            host, collections, dids, noWait, restart, pageSize, partitions, interval,
        });
        command.SetAction((parseResult, cancellationToken) => StoreConnectionOptions.GuardAsync(async () =>
        {
            var request = new BackfillRequest(
                ParseHost(parseResult.GetValue(host)!),
                ParseCollections(parseResult.GetValue(collections) ?? []),
                parseResult.GetValue(dids),
                parseResult.GetValue(noWait),
                parseResult.GetValue(restart),
                parseResult.GetValue(pageSize),
                TimeSpan.FromSeconds(Math.Max(0.05, parseResult.GetValue(interval))));
            if (request.PageSize is < 1 or > 1000)
            {
                throw new CliException($"--page-size must be 1 to 1000, not {request.PageSize}");
            }

            var didSet = request.DidFile is null ? null : await ReadDidsAsync(request.DidFile, cancellationToken).ConfigureAwait(false);
            var output = parseResult.InvocationConfiguration.Output;
            var clientOptions = connection.ClientOptions(parseResult);
            await using var nats = await connection.ConnectAsync(parseResult, cancellationToken).ConfigureAwait(false);
            var store = await OpenStoreAsync(nats, clientOptions.RecordBucket, clientOptions.ControlBucket, parseResult.GetValue(partitions), cancellationToken).ConfigureAwait(false);
            using var hostClient = new BackfillHostClient(request.Host);
            return await RunAsync(store, hostClient, request, didSet, output, cancellationToken).ConfigureAwait(false);
        }));
        return command;
    }

    internal static async Task<int> RunAsync(RecordKvStore store, BackfillHostClient hostClient, BackfillRequest request, IReadOnlySet<string>? dids, TextWriter output, CancellationToken cancellationToken)
    {
        var inv = CultureInfo.InvariantCulture;
        var hostText = request.Host.ToString();
        var (state, revision) = await LoadOrStartRunAsync(store.Control, hostClient, request, cancellationToken).ConfigureAwait(false);
        var enqueuer = new BackfillEnqueuer(hostClient, store.JetStream, store.Control, store.Names, store.Partitioner, request.PageSize);
        var interactive = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        var view = new BackfillProgressView(output, interactive);
        var clock = Stopwatch.StartNew();
        try
        {
            if (!state.ListingComplete)
            {
                await output.WriteLineAsync(string.Create(inv, $"backfill {hostText}: run {state.RunId}, {(state.Listed == 0 ? "listing repositories" : $"resuming after {state.Listed:N0} listed repositories")}")).ConfigureAwait(false);
                var lastPageLine = TimeSpan.Zero;
                (state, revision) = await enqueuer.RunAsync(state, revision, dids, page =>
                {
                    if (!interactive && clock.Elapsed - lastPageLine < view.LineInterval && !page.ListingComplete)
                    {
                        return;
                    }

                    lastPageLine = clock.Elapsed;
                    var line = string.Create(inv, $"listed {page.Listed:N0} repositories, enqueued {page.Enqueued:N0} jobs{(page.ListingComplete ? " (listing complete)" : string.Empty)}");
                    output.Write(interactive ? "\r\u001b[K" + line : line + Environment.NewLine);
                }, cancellationToken).ConfigureAwait(false);
                await view.EndLineAsync().ConfigureAwait(false);
            }

            if (request.NoWait)
            {
                await output.WriteLineAsync(string.Create(inv, $"enqueued {state.Enqueued:N0} jobs for {hostText} (run {state.RunId}); the builders process them. Run the same command again to watch their progress.")).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            var progress = await WaitAsync(store, state, view, clock, request.Interval, cancellationToken).ConfigureAwait(false);
            await view.EndLineAsync().ConfigureAwait(false);
            var seconds = clock.Elapsed.TotalSeconds;
            await output.WriteLineAsync(string.Create(
                inv,
                $"backfill of {hostText} complete (run {state.RunId}): {progress.Done:N0} repositories synchronized, {progress.Skipped:N0} skipped (already newer), {progress.Errors:N0} errors; {progress.Records:N0} records written, {progress.Deleted:N0} deleted; {seconds:0.0} s, {(seconds > 0 ? progress.Records / seconds : 0):N0} records/s")).ConfigureAwait(false);
            if (progress.Errors > 0)
            {
                await output.WriteLineAsync("repositories that failed are named in the builders' logs (event 6083); rerun with --restart to try every repository again").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await view.EndLineAsync().ConfigureAwait(false);
            await output.WriteLineAsync(string.Create(inv, $"interrupted: {state.Listed:N0} repositories listed, {state.Enqueued:N0} jobs enqueued (run {state.RunId}); enqueued jobs keep running in the builders. Run the same command again to resume.")).ConfigureAwait(false);
            return ExitCodes.Cancelled;
        }
    }

    private static async Task<BackfillProgress> WaitAsync(RecordKvStore store, BackfillRunState state, BackfillProgressView view, Stopwatch clock, TimeSpan interval, CancellationToken cancellationToken)
    {
        TimeSpan? emptySince = null;
        var progress = new BackfillProgress();
        while (true)
        {
            progress = await ReadProgressOrLastAsync(store.Control, state.RunId, progress, cancellationToken).ConfigureAwait(false);
            var queued = (await store.JetStream.GetStreamInfoAsync(store.Names.BackfillStream, cancellationToken).ConfigureAwait(false)).State.Messages;
            if (queued == 0)
            {
                emptySince ??= clock.Elapsed;
            }
            else
            {
                emptySince = null;
            }

            // Done when the builders' counters account for every job; an empty queue also ends the wait once their
            // counters had time to be written (a builder that crashed after an ack may never write its last counts).
            var done = progress.Finished >= state.Enqueued || clock.Elapsed - emptySince >= CounterGrace;
            await view.ShowAsync(clock.Elapsed, state, progress, queued, done, cancellationToken).ConfigureAwait(false);
            if (done)
            {
                return progress;
            }

            await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
        }
    }

    // A listing of the control bucket that does not answer in time is retried on the next update rather than
    // freezing the progress.
    private static async Task<BackfillProgress> ReadProgressOrLastAsync(NatsKvStore control, string runId, BackfillProgress last, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProgressReadTimeout);
        try
        {
            return await ReadProgressAsync(control, runId, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return last;
        }
    }

    /// <summary>The sum of every builder's progress of one run.</summary>
    internal static async Task<BackfillProgress> ReadProgressAsync(NatsKvStore control, string runId, CancellationToken cancellationToken)
    {
        var sum = new BackfillProgress();
        var keys = new List<string>();
        await foreach (var key in control.GetKeysAsync(ControlKeys.BackfillProgressFilter(runId), cancellationToken).ConfigureAwait(false))
        {
            keys.Add(key);
        }

        foreach (var key in keys)
        {
            var entry = await control.GetAsync(key, cancellationToken).ConfigureAwait(false);
            if (entry is { Operation: NatsKvOperation.Put } && !entry.Value.IsEmpty)
            {
                sum = sum.Add(BackfillQueue.DecodeProgress(entry.Value.Span));
            }
        }

        return sum;
    }

    private static async Task<(BackfillRunState State, ulong Revision)> LoadOrStartRunAsync(NatsKvStore control, BackfillHostClient hostClient, BackfillRequest request, CancellationToken cancellationToken)
    {
        var key = ControlKeys.BackfillRun(request.Host.ToString());
        var entry = await control.GetAsync(key, cancellationToken).ConfigureAwait(false);
        BackfillRunState? saved = entry is { Operation: NatsKvOperation.Put } && !entry.Value.IsEmpty ? BackfillQueue.DecodeRunState(entry.Value.Span) : null;
        var didList = request.DidFile?.FullName;
        if (saved is not null && !request.Restart)
        {
            if (!saved.Collections.SequenceEqual(request.Collections, StringComparer.Ordinal) || saved.DidList != didList)
            {
                throw new CliException($"the saved backfill of {request.Host} (run {saved.RunId}) has other options ({Describe(saved.Collections, saved.DidList)}): rerun it with them, or start over with --restart");
            }

            return (saved, entry!.Revision);
        }

        // A new run: make sure the host lists repositories before anything is saved.
        await hostClient.ListReposAsync(null, 1, cancellationToken).ConfigureAwait(false);
        var state = new BackfillRunState
        {
            RunId = Guid.NewGuid().ToString("N")[..12],
            Host = request.Host.ToString(),
            Collections = request.Collections,
            DidList = didList,
            StartedUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        };
        var value = BackfillQueue.EncodeRunState(state);
        try
        {
            var revision = saved is null
                ? await control.CreateAsync(key, value, cancellationToken: cancellationToken).ConfigureAwait(false)
                : await control.UpdateAsync(key, value, entry!.Revision, cancellationToken: cancellationToken).ConfigureAwait(false);
            return (state, revision);
        }
        catch (NatsJetStreamWrongLastSequenceException exception)
        {
            throw new CliException($"another recordkv backfill of {request.Host} started at the same moment; run one at a time", exception);
        }
    }

    private static string Describe(IReadOnlyList<string> collections, string? didList) =>
        $"collections {(collections.Count == 0 ? "all" : string.Join(',', collections))}, DIDs {didList ?? "all"}";

    private static async Task<RecordKvStore> OpenStoreAsync(NatsConnection nats, string recordBucket, string controlBucket, int defaultPartitions, CancellationToken cancellationToken)
    {
        var kv = new NatsKvContext(new NatsJetStreamContext(nats));
        var partitions = defaultPartitions;
        try
        {
            var control = await kv.GetBucketAsync(controlBucket, cancellationToken).ConfigureAwait(false);
            var config = await control.GetAsync(ControlKeys.Config, cancellationToken).ConfigureAwait(false);
            if (config is { Operation: NatsKvOperation.Put } && TryReadPartitions(config.Value.Span, out var stored))
            {
                partitions = stored;
            }
        }
        catch (NatsJetStreamNotFoundException)
        {
        }

        try
        {
            return await RecordKvStore.OpenAsync(
                nats,
                new RecordKvStoreOptions { Partitions = partitions, Names = new StoreNames { RecordBucket = recordBucket, ControlBucket = controlBucket } },
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RecordKvStoreException exception)
        {
            throw new CliException(exception.Message, exception);
        }
    }

    internal static Uri ParseHost(string text)
    {
        var trimmed = text.Trim();
        if (!trimmed.Contains("://", StringComparison.Ordinal))
        {
            trimmed = "https://" + trimmed;
        }

        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || string.IsNullOrEmpty(uri.Host))
        {
            throw new CliException($"--host must be an http(s) URL such as https://bsky.network, not '{text}'");
        }

        return new Uri(uri.GetLeftPart(UriPartial.Authority) + "/");
    }

    internal static IReadOnlyList<string> ParseCollections(IEnumerable<string> values)
    {
        var parsed = new List<string>();
        foreach (var value in values)
        {
            foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var body = part.EndsWith('*') ? part[..^1] : part;
                if (body.Length == 0 ? part != "*" : !IsNsidLike(body))
                {
                    throw new CliException($"--collections: '{part}' is not an NSID (app.bsky.feed.like) or a prefix ending in '*' (app.bsky.*)");
                }

                if (!parsed.Contains(part))
                {
                    parsed.Add(part);
                }
            }
        }

        return parsed;
    }

    internal static async Task<IReadOnlySet<string>> ReadDidsAsync(FileInfo file, CancellationToken cancellationToken)
    {
        var dids = new HashSet<string>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var line in await File.ReadAllLinesAsync(file.FullName, cancellationToken).ConfigureAwait(false))
        {
            lineNumber++;
            var text = line;
            var comment = text.IndexOf('#', StringComparison.Ordinal);
            if (comment >= 0)
            {
                text = text[..comment];
            }

            text = text.Trim();
            if (text.Length == 0)
            {
                continue;
            }

            if (!text.StartsWith("did:", StringComparison.Ordinal) || text.Length > 2048 || text.Contains(' ', StringComparison.Ordinal))
            {
                throw new CliException($"{file.Name}:{lineNumber}: '{text}' is not a DID");
            }

            dids.Add(text);
        }

        if (dids.Count == 0)
        {
            throw new CliException($"{file.Name} names no DID");
        }

        return dids;
    }

    private static bool TryReadPartitions(ReadOnlySpan<byte> json, out int partitions)
    {
        partitions = 0;
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("partitions", out var value)
                && value.TryGetInt32(out partitions);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool IsNsidLike(string text)
    {
        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '-'))
            {
                return false;
            }
        }

        return text.Contains('.', StringComparison.Ordinal);
    }
}
