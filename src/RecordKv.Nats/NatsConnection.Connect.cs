using System.Buffers;
using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using RecordKv.Nats.Internal;

namespace RecordKv.Nats;

public sealed partial class NatsConnection
{
    private static readonly byte[] PongBytes = NatsCommandWriter.Pong.ToArray();

    private async Task<NatsSession> ConnectFirstAsync(CancellationToken cancellationToken)
    {
        Exception? last = null;
        var servers = SnapshotServers();
        foreach (var url in servers)
        {
            try
            {
                return await OpenSessionAsync(url, cancellationToken).ConfigureAwait(false);
            }
            catch (NatsServerErrorException)
            {
                // Refused credentials are the caller's to fix; other servers of the cluster would refuse them too.
                throw;
            }
            catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Log.ConnectAttemptFailed(_logger, url.ToString(), error);
                last = error;
            }
        }

        var tried = string.Join(", ", servers);
        throw new NatsConnectionException($"Could not connect to any NATS server ({tried}): {last?.Message}", last);
    }

    /// <summary>TCP connect, INFO, optional TLS, CONNECT + PING, and the PONG that proves the server accepted us.</summary>
    private async Task<NatsSession> OpenSessionAsync(NatsServerUrl url, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ConnectTimeout);
        var token = timeout.Token;
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream? stream = null;
        PipeReader? input = null;
        try
        {
            await socket.ConnectAsync(url.Host, url.Port, token).ConfigureAwait(false);
            stream = new NetworkStream(socket, ownsSocket: false);
            input = CreateReader(stream);
            var parser = new NatsProtocolParser(new NatsServerInfo().MaxPayload);
            var first = await ReadHandshakeOpAsync(input, parser, url, token).ConfigureAwait(false);
            if (first.Kind != NatsServerOpKind.Info)
            {
                throw new NatsProtocolException($"The server {url} did not start with INFO but with {first.Kind}.");
            }

            var info = ParseInfo(first.Text!, url);
            parser.MaxPayload = info.MaxPayload;
            var tls = _options.Tls is not null || url.Tls || info.TlsRequired;
            if (tls)
            {
                await input.CompleteAsync().ConfigureAwait(false);
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                await ssl.AuthenticateAsClientAsync(CreateTlsOptions(url), token).ConfigureAwait(false);
                input = CreateReader(ssl);
            }

            var hello = new ArrayBufferWriter<byte>(512);
            NatsCommandWriter.WriteConnect(hello, _options, url, tls);
            hello.Write(NatsCommandWriter.Ping);
            await stream.WriteAsync(hello.WrittenMemory, token).ConfigureAwait(false);
            await stream.FlushAsync(token).ConfigureAwait(false);
            while (true)
            {
                var op = await ReadHandshakeOpAsync(input, parser, url, token).ConfigureAwait(false);
                switch (op.Kind)
                {
                    case NatsServerOpKind.Pong:
                        return new NatsSession(url, socket, stream, input, parser, info);
                    case NatsServerOpKind.Err:
                        throw new NatsServerErrorException(op.Text!, url.ToString());
                    case NatsServerOpKind.Ping:
                        await stream.WriteAsync(PongBytes, token).ConfigureAwait(false);
                        break;
                    case NatsServerOpKind.Info:
                        info = ParseInfo(op.Text!, url);
                        parser.MaxPayload = info.MaxPayload;
                        break;
                    case NatsServerOpKind.Ok:
                        break;
                    default:
                        throw new NatsProtocolException($"The server {url} sent {op.Kind} before answering CONNECT.");
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await DisposeFailedAsync(socket, stream, input).ConfigureAwait(false);
            throw new NatsTimeoutException($"Connecting to {url} took longer than {_options.ConnectTimeout.TotalSeconds:0.###} s.");
        }
        catch (Exception error) when (error is SocketException or IOException or System.Security.Authentication.AuthenticationException)
        {
            await DisposeFailedAsync(socket, stream, input).ConfigureAwait(false);
            throw new NatsConnectionException($"Connecting to {url} failed: {error.Message}", error);
        }
        catch
        {
            await DisposeFailedAsync(socket, stream, input).ConfigureAwait(false);
            throw;
        }
    }

    private static PipeReader CreateReader(Stream stream) =>
        PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 16 * 1024, leaveOpen: true));

    private static async ValueTask DisposeFailedAsync(Socket socket, Stream? stream, PipeReader? input)
    {
        if (input is not null)
        {
            await input.CompleteAsync().ConfigureAwait(false);
        }

        if (stream is not null)
        {
            try
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
            catch (IOException)
            {
            }
        }

        socket.Dispose();
    }

    /// <summary>Reads one operation during the handshake; MSG payloads are not expected there, so only text is kept.</summary>
    private static async ValueTask<NatsServerOp> ReadHandshakeOpAsync(PipeReader input, NatsProtocolParser parser, NatsServerUrl url, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            NatsServerOp op;
            bool parsed;
            try
            {
                parsed = parser.TryParse(ref buffer, out op);
            }
            catch
            {
                input.AdvanceTo(buffer.Start, buffer.End);
                throw;
            }

            if (parsed)
            {
                input.AdvanceTo(buffer.Start);
                return op;
            }

            input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                throw buffer.IsEmpty
                    ? new NatsConnectionException($"The server {url} closed the connection during the handshake.")
                    : new NatsProtocolException($"The server {url} closed the connection in the middle of an operation ({buffer.Length} bytes left over).");
            }
        }
    }

    private static NatsServerInfo ParseInfo(string json, NatsServerUrl url)
    {
        try
        {
            var info = JsonSerializer.Deserialize(json, NatsJsonContext.Default.NatsServerInfo)
                ?? throw new NatsProtocolException($"The server {url} sent INFO null.");

            // Absent or null in the JSON: the generated deserializer leaves it null.
            return info.ConnectUrls is null ? info with { ConnectUrls = [] } : info;
        }
        catch (JsonException error)
        {
            throw new NatsProtocolException($"The server {url} sent an INFO that is not valid JSON: {error.Message}", error);
        }
    }

    private SslClientAuthenticationOptions CreateTlsOptions(NatsServerUrl url)
    {
        var tls = _options.Tls ?? new NatsTlsOptions();
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = tls.ServerName ?? url.Host,
        };
        if (tls.InsecureSkipVerify)
        {
            options.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        }
        else if (tls.CaFile is not null)
        {
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPemFile(tls.CaFile);
            var policy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            policy.CustomTrustStore.AddRange(authorities);
            options.CertificateChainPolicy = policy;
        }

        if (tls.CertificateFile is not null)
        {
            var certificate = X509Certificate2.CreateFromPemFile(tls.CertificateFile, tls.KeyFile);
            options.ClientCertificates = [certificate];
        }

        return options;
    }

    private NatsServerUrl[] SnapshotServers()
    {
        lock (_serversLock)
        {
            return [.. _servers];
        }
    }

    /// <summary>Adds the cluster's <c>connect_urls</c> to the reconnect list.</summary>
    private void LearnServers(NatsServerInfo info, bool tls)
    {
        lock (_serversLock)
        {
            foreach (var text in info.ConnectUrls)
            {
                NatsServerUrl url;
                try
                {
                    url = NatsServerUrl.Parse(text);
                }
                catch (ArgumentException)
                {
                    continue;
                }

                url = url with { Tls = tls || url.Tls };
                var known = false;
                foreach (var existing in _servers)
                {
                    known |= existing.SameEndpoint(url);
                }

                if (!known)
                {
                    _servers.Add(url);
                }
            }
        }
    }
}
