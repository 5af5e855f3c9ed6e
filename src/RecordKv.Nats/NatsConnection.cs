using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using RecordKv.Nats.Internal;

namespace RecordKv.Nats;

/// <summary>
/// A connection to a NATS server (or cluster): publish, subscribe, request/reply, with keep-alive,
/// reconnect across servers and a bounded buffer of publishes while disconnected.
/// </summary>
public sealed partial class NatsConnection : IAsyncDisposable
{
    private readonly NatsOptions _options;
    private readonly ILogger _logger;
    private readonly List<NatsServerUrl> _servers = [];
    private readonly Lock _serversLock = new();
    private readonly CancellationTokenSource _disposeCts = new();
    private readonly ConcurrentDictionary<long, NatsSubscription> _subscriptions = new();
    private readonly Lock _stateLock = new();
    private volatile NatsConnectionState _state = NatsConnectionState.Connecting;
    private TaskCompletionSource _connected = NewSignal();
    private NatsServerInfo _serverInfo = new();
    private NatsSession? _session;
    private Task _supervisor = Task.CompletedTask;
    private long _nextSid;
    private int _disposed;
    private Exception? _closeReason;

    private NatsConnection(NatsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Servers.Count == 0)
        {
            throw new ArgumentException("NatsOptions.Servers is empty.", nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(options.SubscriptionCapacity, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.ReconnectBufferBytes, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxPingsOutstanding, 1, nameof(options));
        _options = options;
        _logger = options.LoggerFactory.CreateLogger<NatsConnection>();
        foreach (var server in options.Servers)
        {
            _servers.Add(NatsServerUrl.Parse(server));
        }

        // While connected the same bound is the backpressure point, so one large message or a burst
        // never grows the outbound buffer beyond it; at least 1 MiB keeps batching effective.
        _outbound = new NatsOutbound(Math.Max(options.ReconnectBufferBytes, 1024 * 1024));
        _replyPrefix = options.InboxPrefix + "." + Nuid.Next() + ".";
    }

    /// <summary>Raised when the connection is lost (<see cref="NatsConnectionState.Disconnected"/>), restored (<see cref="NatsConnectionState.Connected"/>) or closed.</summary>
    public event EventHandler<NatsConnectionStateChangedEventArgs>? ConnectionStateChanged;

    /// <summary>Raised when the server sends <c>-ERR</c> while connected, e.g. a permissions violation.</summary>
    public event EventHandler<NatsServerErrorEventArgs>? ServerError;

    /// <summary>The options the connection was made with.</summary>
    public NatsOptions Options => _options;

    /// <summary>The INFO of the server currently (or last) connected to.</summary>
    public NatsServerInfo ServerInfo => Volatile.Read(ref _serverInfo);

    /// <summary>The connection's state.</summary>
    public NatsConnectionState State => _state;

    /// <summary>The URL of the server currently connected to, or null while disconnected.</summary>
    public string? ConnectedUrl => State == NatsConnectionState.Connected ? Volatile.Read(ref _session)?.Url.ToString() : null;

    /// <summary>Connects to the first reachable server of <see cref="NatsOptions.Servers"/>.</summary>
    /// <exception cref="NatsServerErrorException">A server refused the credentials.</exception>
    /// <exception cref="NatsConnectionException">No server could be reached; the inner exception is the last failure.</exception>
    public static async Task<NatsConnection> ConnectAsync(NatsOptions options, CancellationToken cancellationToken = default)
    {
        var connection = new NatsConnection(options);
        try
        {
            var session = await connection.ConnectFirstAsync(cancellationToken).ConfigureAwait(false);
            await connection.ActivateAsync(session, cancellationToken).ConfigureAwait(false);
            connection._supervisor = Task.Run(() => connection.SuperviseAsync(session), CancellationToken.None);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A new unique inbox subject: <c>{InboxPrefix}.{random}</c>.</summary>
    public string NewInbox() => _options.InboxPrefix + "." + Nuid.Next();

    /// <summary>Sends the buffered commands and closes: subscriptions complete, pending requests fail.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Completing the outbound buffer lets the writer loop send what is buffered and stop.
        _outbound.Complete();

        if (State == NatsConnectionState.Connected)
        {
            try
            {
                await _supervisor.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
        }

        await _disposeCts.CancelAsync().ConfigureAwait(false);
        Volatile.Read(ref _session)?.Abort(null);
        try
        {
            await _supervisor.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        Close(new ObjectDisposedException(nameof(NatsConnection)), graceful: true);
        _disposeCts.Dispose();
    }

    private bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void SetState(NatsConnectionState state, string? serverUrl, Exception? error)
    {
        NatsConnectionState previous;
        lock (_stateLock)
        {
            previous = _state;
            if (previous == state || previous == NatsConnectionState.Closed)
            {
                return;
            }

            _state = state;
            if (state == NatsConnectionState.Connected)
            {
                _connected.TrySetResult();
            }
            else if (previous == NatsConnectionState.Connected)
            {
                _connected = NewSignal();
            }

            if (state == NatsConnectionState.Closed)
            {
                _connected.TrySetException(error ?? new NatsConnectionException("The connection is closed."));
            }
        }

        var handler = ConnectionStateChanged;
        if (handler is null)
        {
            return;
        }

        var args = new NatsConnectionStateChangedEventArgs(previous, state, serverUrl, error);
        _ = Task.Run(() =>
        {
            try
            {
                handler(this, args);
            }
            catch (Exception handlerError)
            {
                Log.HandlerFailed(_logger, handlerError);
            }
        });
    }

    /// <summary>Waits until the connection is connected (it may be reconnecting); throws if it closes.</summary>
    private Task WaitConnectedAsync(CancellationToken cancellationToken)
    {
        Task signal;
        lock (_stateLock)
        {
            signal = _connected.Task;
        }

        return signal.IsCompleted ? signal : signal.WaitAsync(cancellationToken);
    }

    private void ThrowIfClosed()
    {
        if (IsDisposed)
        {
            throw new ObjectDisposedException(nameof(NatsConnection));
        }

        if (State == NatsConnectionState.Closed)
        {
            throw new NatsConnectionException("The connection is closed.", _closeReason);
        }
    }

    /// <summary>Ends the connection for good: every subscription completes, every waiter fails.</summary>
    private void Close(Exception reason, bool graceful)
    {
        Interlocked.CompareExchange(ref _closeReason, reason, null);
        SetState(NatsConnectionState.Closed, null, graceful ? null : reason);
        var failure = graceful ? null : new NatsConnectionException("The connection closed: " + reason.Message, reason);
        foreach (var subscription in _subscriptions.Values)
        {
            subscription.Complete(failure);
        }

        _subscriptions.Clear();
        FailPendingPings(new NatsConnectionException("The connection closed.", reason));
        FailPendingRequests(new NatsConnectionException("The connection closed before the reply arrived.", reason));
        _outbound.FailWaiters(new NatsConnectionException("The connection closed.", reason));
    }
}
