using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace RecordKv.Testing;

/// <summary>
/// A real <c>nats-server</c> for a test: a free loopback port, a temporary store directory, a generated config
/// (max_payload 8MB, JetStream on). Stop, kill and restart keep the port and the store.
/// </summary>
public sealed partial class NatsServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(20);

    private readonly Queue<string> _output = new();
    private readonly Lock _outputLock = new();
    private Process? _process;

    private NatsServerProcess(NatsServerProcessOptions options, int port, DirectoryInfo directory)
    {
        Options = options;
        Port = port;
        Directory = directory.FullName;
        StoreDirectory = System.IO.Path.Combine(Directory, "store");
        ConfigFile = System.IO.Path.Combine(Directory, "nats-server.conf");
        ServerName = options.ServerName ?? "recordkv-" + Guid.NewGuid().ToString("N")[..8];
        File.WriteAllText(ConfigFile, BuildConfig());
    }

    /// <summary>The options the config was generated from.</summary>
    public NatsServerProcessOptions Options { get; }

    /// <summary>The client port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The client URL, e.g. <c>nats://127.0.0.1:41234</c>.</summary>
    public string Url => string.Create(CultureInfo.InvariantCulture, $"nats://127.0.0.1:{Port}");

    /// <summary>The temporary directory holding config and store; deleted on dispose.</summary>
    public string Directory { get; }

    /// <summary>The JetStream store directory.</summary>
    public string StoreDirectory { get; }

    /// <summary>The generated config file.</summary>
    public string ConfigFile { get; }

    /// <summary>The server name.</summary>
    public string ServerName { get; }

    /// <summary>Whether the server process is running.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The last lines the server logged, for failure messages.</summary>
    public string RecentOutput
    {
        get
        {
            lock (_outputLock)
            {
                return string.Join('\n', _output);
            }
        }
    }

    /// <summary>The nats-server binary: $NATS_SERVER, Debian's /usr/sbin/nats-server, or nats-server on PATH.</summary>
    public static string Executable =>
        Environment.GetEnvironmentVariable("NATS_SERVER") is { Length: > 0 } fromEnvironment ? fromEnvironment
        : File.Exists("/usr/sbin/nats-server") ? "/usr/sbin/nats-server"
        : "nats-server";

    /// <summary>Starts a server and waits until it accepts clients.</summary>
    public static async Task<NatsServerProcess> StartAsync(NatsServerProcessOptions? options = null, CancellationToken cancellationToken = default)
    {
        var server = Create(options);
        try
        {
            await server.StartProcessAsync(cancellationToken).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Prepares a server (port, directory, config) without starting it; <see cref="NatsCluster"/> needs every port before any node starts.</summary>
    public static NatsServerProcess Create(NatsServerProcessOptions? options = null, int? port = null)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("recordkv-nats-");
        return new NatsServerProcess(options ?? new NatsServerProcessOptions(), port ?? FreePort(), directory);
    }

    /// <summary>A loopback port nobody listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts the (stopped) process again with the same port, config and store, and waits until it accepts clients.</summary>
    public async Task StartProcessAsync(CancellationToken cancellationToken = default)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("The server is already running.");
        }

        _process?.Dispose();
        var startInfo = new ProcessStartInfo(Executable)
        {
            ArgumentList = { "-c", ConfigFile },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Remember(e.Data);
        process.ErrorDataReceived += (_, e) => Remember(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {Executable}.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await WaitUntilReadyAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the server gracefully (SIGTERM), killing it if it does not exit within 10 s.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (!IsRunning)
        {
            return;
        }

        _ = Kill(_process!.Id, SignalTerminate);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await KillAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Kills the server at once (SIGKILL): no goodbye to clients, like a crash.</summary>
    public async Task KillAsync(CancellationToken cancellationToken = default)
    {
        if (!IsRunning)
        {
            return;
        }

        _process!.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops (or kills) the server and starts it again on the same port with the same store.</summary>
    public async Task RestartAsync(bool kill = false, CancellationToken cancellationToken = default)
    {
        if (kill)
        {
            await KillAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await StopAsync(cancellationToken).ConfigureAwait(false);
        }

        await StartProcessAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Puts the server into lame-duck mode (SIGUSR2): it tells clients (INFO ldm) and stops accepting new ones.</summary>
    public void EnterLameDuckMode()
    {
        if (!IsRunning)
        {
            throw new InvalidOperationException("The server is not running.");
        }

        _ = Kill(_process!.Id, SignalUser2);
    }

    /// <summary>Kills the server and deletes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync().ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
        }

        _process?.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Polls the port until the server sends its INFO line: no fixed sleep, a deadline instead.</summary>
    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        Exception? last = null;
        while (deadline.Elapsed < ReadyTimeout)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"nats-server exited with code {_process.ExitCode} while starting. Config:\n{File.ReadAllText(ConfigFile)}\nOutput:\n{RecentOutput}");
            }

            try
            {
                if (await ReceivesInfoAsync(cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }
            catch (Exception error) when (error is SocketException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                last = error;
            }

            // The next poll: the process needs a moment to bind its port.
            await Task.Delay(25, cancellationToken).ConfigureAwait(false);
        }

        throw new TimeoutException($"nats-server on port {Port} was not ready within {ReadyTimeout.TotalSeconds} s ({last?.Message}). Output:\n{RecentOutput}");
    }

    private async Task<bool> ReceivesInfoAsync(CancellationToken cancellationToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(TimeSpan.FromSeconds(2));
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, Port, attempt.Token).ConfigureAwait(false);
        var stream = client.GetStream();
        var buffer = new byte[4];
        var read = 0;
        while (read < buffer.Length)
        {
            var count = await stream.ReadAsync(buffer.AsMemory(read), attempt.Token).ConfigureAwait(false);
            if (count == 0)
            {
                return false;
            }

            read += count;
        }

        return buffer.AsSpan().SequenceEqual("INFO"u8);
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_outputLock)
        {
            _output.Enqueue(line);
            while (_output.Count > 200)
            {
                _output.Dequeue();
            }
        }
    }

    private string BuildConfig()
    {
        var config = new StringBuilder();
        var invariant = CultureInfo.InvariantCulture;
        config.AppendLine(invariant, $"server_name: \"{ServerName}\"");
        config.AppendLine(invariant, $"listen: \"127.0.0.1:{Port}\"");
        config.AppendLine(invariant, $"max_payload: {Options.MaxPayload}");
        config.AppendLine("lame_duck_grace_period: \"1s\"");
        config.AppendLine("lame_duck_duration: \"30s\"");
        if (Options.JetStream)
        {
            config.AppendLine(invariant, $"jetstream {{ store_dir: \"{StoreDirectory}\" }}");
        }

        if (Options.User is not null)
        {
            config.AppendLine(invariant, $"authorization {{ user: \"{Options.User}\", password: \"{Options.Password}\" }}");
        }
        else if (Options.Token is not null)
        {
            config.AppendLine(invariant, $"authorization {{ token: \"{Options.Token}\" }}");
        }

        if (Options.Tls is { } tls)
        {
            config.AppendLine(invariant, $"tls {{ cert_file: \"{tls.CertificateFile}\", key_file: \"{tls.KeyFile}\", timeout: 5 }}");
        }

        if (Options.ClusterName is not null && Options.ClusterPort is { } clusterPort)
        {
            config.AppendLine("cluster {");
            config.AppendLine(invariant, $"  name: \"{Options.ClusterName}\"");
            config.AppendLine(invariant, $"  listen: \"127.0.0.1:{clusterPort}\"");
            config.AppendLine("  routes: [");
            foreach (var route in Options.RoutePorts)
            {
                config.AppendLine(invariant, $"    \"nats-route://127.0.0.1:{route}\"");
            }

            config.AppendLine("  ]");
            config.AppendLine("}");
        }

        if (Options.ExtraConfig is not null)
        {
            config.AppendLine(Options.ExtraConfig);
        }

        return config.ToString();
    }

    private const int SignalTerminate = 15;
    private const int SignalUser2 = 12;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
