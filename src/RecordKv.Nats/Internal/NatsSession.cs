using System.IO.Pipelines;
using System.Net.Sockets;

namespace RecordKv.Nats.Internal;

/// <summary>One live socket to one server after a successful handshake; a reconnect makes a new session.</summary>
internal sealed class NatsSession : IAsyncDisposable
{
    private readonly CancellationTokenSource _lifetime = new();
    private Exception? _abortReason;

    public NatsSession(NatsServerUrl url, Socket socket, Stream stream, PipeReader input, NatsProtocolParser parser, NatsServerInfo info)
    {
        Url = url;
        Socket = socket;
        Stream = stream;
        Input = input;
        Parser = parser;
        Info = info;
    }

    public NatsServerUrl Url { get; }

    public Socket Socket { get; }

    public Stream Stream { get; }

    public PipeReader Input { get; }

    public NatsProtocolParser Parser { get; }

    /// <summary>The latest INFO from this server (updated by asynchronous INFO).</summary>
    public NatsServerInfo Info { get; set; }

    /// <summary>Cancelled when the session ends, for whatever reason.</summary>
    public CancellationToken Lifetime => _lifetime.Token;

    /// <summary>The first reason the session was ended for, if it was ended on purpose or by a detected fault.</summary>
    public Exception? AbortReason => Volatile.Read(ref _abortReason);

    /// <summary>Ends the session: the read, write and ping loops stop and the socket closes.</summary>
    public void Abort(Exception? reason)
    {
        if (reason is not null)
        {
            Interlocked.CompareExchange(ref _abortReason, reason, null);
        }

        try
        {
            _lifetime.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }

        try
        {
            Socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        Abort(null);
        await Input.CompleteAsync().ConfigureAwait(false);
        try
        {
            await Stream.DisposeAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
        }

        Socket.Dispose();
        _lifetime.Dispose();
    }
}
