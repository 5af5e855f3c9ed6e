using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RecordKv.Nats.Tests.Core;

/// <summary>A scripted TCP server that speaks just enough NATS to let a client in, then misbehaves on purpose.</summary>
internal sealed class FakeNatsServer : IAsyncDisposable
{
    public const string Info = "INFO {\"server_id\":\"FAKE\",\"version\":\"0.0.1\",\"proto\":1,\"max_payload\":1048576,\"headers\":true}\r\n";

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;

    public FakeNatsServer(Func<NetworkStream, CancellationToken, Task> script)
    {
        _listener.Start();
        _serving = ServeAsync(script);
    }

    public string Url => $"nats://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Sends INFO, waits for the client's CONNECT + PING and answers PONG: the client is then connected.</summary>
    public static async Task HandshakeAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        await SendAsync(stream, Info, cancellationToken);
        await ReadUntilAsync(stream, "PING\r\n", cancellationToken);
        await SendAsync(stream, "PONG\r\n", cancellationToken);
    }

    public static Task SendAsync(NetworkStream stream, string text, CancellationToken cancellationToken) =>
        stream.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken).AsTask();

    /// <summary>Reads until <paramref name="marker"/> has been received; returns everything read.</summary>
    public static async Task<string> ReadUntilAsync(NetworkStream stream, string marker, CancellationToken cancellationToken)
    {
        var received = new StringBuilder();
        var buffer = new byte[4096];
        while (!received.ToString().Contains(marker, StringComparison.Ordinal))
        {
            var count = await stream.ReadAsync(buffer, cancellationToken);
            if (count == 0)
            {
                throw new EndOfStreamException($"The client closed before sending '{marker.Trim()}'. Received: {received}");
            }

            received.Append(Encoding.UTF8.GetString(buffer, 0, count));
        }

        return received.ToString();
    }

    private async Task ServeAsync(Func<NetworkStream, CancellationToken, Task> script)
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                using var stream = client.GetStream();
                try
                {
                    await script(stream, _stop.Token);
                }
                catch (Exception error) when (error is IOException or SocketException or EndOfStreamException)
                {
                    // The client hung up: what the script was testing for.
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _serving;
        }
        catch (ObjectDisposedException)
        {
        }
        catch (SocketException)
        {
        }

        _stop.Dispose();
    }
}
