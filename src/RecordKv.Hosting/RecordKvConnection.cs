using Microsoft.Extensions.Logging;
using RecordKv.Coordination;
using RecordKv.Nats;

namespace RecordKv.Hosting;

/// <summary>The service's NATS connection and bound store, opened once at start-up (before any worker starts).</summary>
public sealed class RecordKvConnection : IAsyncDisposable
{
    private static readonly TimeSpan InitialRetryDelay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);

    private readonly NatsOptions _natsOptions;
    private readonly RecordKvStoreOptions _storeOptions;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TaskCompletionSource<RecordKvStore> _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private NatsConnection? _connection;

    /// <summary>Creates the (not yet opened) connection.</summary>
    public RecordKvConnection(NatsOptions natsOptions, RecordKvStoreOptions storeOptions, ILoggerFactory loggerFactory)
    {
        _natsOptions = natsOptions;
        _storeOptions = storeOptions;
        _loggerFactory = loggerFactory;
    }

    /// <summary>The bound store; throws before start-up finished.</summary>
    public RecordKvStore Store => _opened.Task.IsCompletedSuccessfully ? _opened.Task.Result : throw new InvalidOperationException("The store is not open yet.");

    /// <summary>Completes with the store once it is open (workers may await it).</summary>
    public Task<RecordKvStore> StoreAsync => _opened.Task;

    /// <summary>Connects and opens the store; throws <see cref="RecordKvStoreException"/> when the server or store does not fit.</summary>
    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            _connection = await ConnectWithRetriesAsync(cancellationToken).ConfigureAwait(false);
            var store = await RecordKvStore.OpenAsync(_connection, _storeOptions, _loggerFactory.CreateLogger<RecordKvStore>(), cancellationToken).ConfigureAwait(false);
            _opened.TrySetResult(store);
        }
        catch (Exception e)
        {
            _opened.TrySetException(e);
            throw;
        }
    }

    /// <summary>
    /// Connects, retrying with backoff until cancelled (Ctrl+C/SIGTERM): a service started before NATS is up, or whose
    /// first connect is slow on a loaded machine, waits for it instead of failing its start-up.
    /// </summary>
    private async Task<NatsConnection> ConnectWithRetriesAsync(CancellationToken cancellationToken)
    {
        var logger = _loggerFactory.CreateLogger<RecordKvConnection>();
        var delay = InitialRetryDelay;
        while (true)
        {
            try
            {
                return await NatsConnection.ConnectAsync(_natsOptions with { LoggerFactory = _loggerFactory }, cancellationToken).ConfigureAwait(false);
            }
            catch (NatsConnectionException e) when (!cancellationToken.IsCancellationRequested)
            {
                Log.ConnectRetrying(logger, delay.TotalMilliseconds, e.Message);
            }

            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
        }
    }

    /// <summary>Closes the NATS connection.</summary>
    public async ValueTask DisposeAsync()
    {
        _opened.TrySetCanceled();
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
