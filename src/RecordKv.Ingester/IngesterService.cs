using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RecordKv.Contracts;
using RecordKv.Coordination;
using RecordKv.Hosting;
using RecordKv.Nats;

namespace RecordKv.Ingester;

/// <summary>The singleton with hot standby: waits for the ingest lease, ingests while holding it, stands by again when it is lost.</summary>
internal sealed class IngesterService(RecordKvConnection connection, IOptions<IngesterOptions> options, IngesterStats stats, ILogger<IngesterService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var store = await connection.StoreAsync.WaitAsync(stoppingToken).ConfigureAwait(false);
        var lease = new KvLease(store.Control, ControlKeys.IngestLease, settings.InstanceId, settings.Lease, logger);
        var overrideCursor = settings.Cursor;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var held = await lease.AcquireAsync(stoppingToken).ConfigureAwait(false);
                try
                {
                    Interlocked.Exchange(ref stats.Leader, 1);
                    var start = overrideCursor ?? await IngestSession.LoadCursorAsync(store, settings.SourceName(), stoppingToken).ConfigureAwait(false);
                    overrideCursor = null;
                    Log.Leading(logger, settings.Host, settings.InstanceId, start?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none (live)");
                    using var term = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, held.Lost);
                    var session = new IngestSession(store, settings, stats, logger, start);
                    await session.RunAsync(term.Token).ConfigureAwait(false);
                    if (held.IsHeld)
                    {
                        await SaveFinalCursorAsync(session, store.Connection).ConfigureAwait(false);
                    }
                }
                finally
                {
                    Interlocked.Exchange(ref stats.Leader, 0);
                    await held.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task SaveFinalCursorAsync(IngestSession session, NatsConnection connection)
    {
        if (connection.State != NatsConnectionState.Connected)
        {
            // It could only time out; the cursor saved last (at most CursorSaveInterval old) stands.
            return;
        }

        using var timeout = new CancellationTokenSource(options.Value.AckTimeout);
        try
        {
            await session.SaveCursorAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NatsException or OperationCanceledException)
        {
            Log.CursorSaveFailed(logger, e);
        }
    }
}
