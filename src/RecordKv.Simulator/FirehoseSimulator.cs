using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RecordKv.Simulator.Firehose;
using RecordKv.Simulator.Generation;

namespace RecordKv.Simulator;

/// <summary>
/// A local relay, PDS and PLC directory in one Kestrel server: it generates accounts and a deterministic stream of
/// signed repository events and serves them over <c>com.atproto.sync.subscribeRepos</c>, <c>getRepo</c>,
/// <c>listRepos</c>, DID documents and the ground truth (<c>/_sim/expected</c>), with optional fault injection.
/// </summary>
public sealed partial class FirehoseSimulator : IAsyncDisposable
{
    private readonly SimulatorOptions _options;
    private readonly SimGenerator _generator;
    private readonly FrameLog _log;
    private readonly SimulatorStats _stats = new();
    private readonly SimulatorPipeline _pipeline;
    private readonly CancellationTokenSource _stopping = new();
    private readonly SimRandom _requestRandom;
    private readonly object _requestRandomLock = new();
    private WebApplication? _app;
    private Task? _run;

    private FirehoseSimulator(SimulatorOptions options)
    {
        _options = options;
        _generator = new SimGenerator(options);
        _log = new FrameLog(options.RetainedFrames, options.RetainedBytes, options.LogDirectory is { } directory ? new DiskFrameStore(directory) : null);
        _pipeline = new SimulatorPipeline(options, _generator, _log, _stats);
        _requestRandom = new SimRandom((ulong)options.Seed ^ 0x5EED_F00DUL);
    }

    /// <summary>The base URL (<c>http://127.0.0.1:PORT</c>): the PDS endpoint, the PLC directory URL and the relay host.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The firehose WebSocket URL.</summary>
    public Uri FirehoseUrl => new(BaseUrl.ToString().Replace("http://", "ws://", StringComparison.Ordinal) + "xrpc/com.atproto.sync.subscribeRepos");

    /// <summary>The port Kestrel listens on.</summary>
    public int Port => BaseUrl.Port;

    /// <summary>Completes when every event of a bounded run has been emitted (never, for an unbounded run until stopped).</summary>
    public Task Completion => _run ?? Task.CompletedTask;

    /// <summary>Whether generation has finished.</summary>
    public bool IsComplete => _pipeline.IsComplete;

    /// <summary>Creates the accounts, starts the server, then starts emitting events.</summary>
    public static async Task<FirehoseSimulator> StartAsync(SimulatorOptions options, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var simulator = new FirehoseSimulator(options);
        await simulator.StartCoreAsync(loggerFactory, cancellationToken).ConfigureAwait(false);
        return simulator;
    }

    /// <summary>A one-line description of the run so far.</summary>
    public SimulatorSummary GetSummary()
    {
        var faults = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (fault, name) in SimulatorFaultNames.All)
        {
            var count = _stats.FaultCount(fault);
            if (count > 0)
            {
                faults[name] = count;
            }
        }

        var elapsed = _pipeline.IsComplete ? _pipeline.EmissionTime : _pipeline.Elapsed;
        return new SimulatorSummary(
            Interlocked.Read(ref _stats.LastSeq),
            Interlocked.Read(ref _stats.Frames),
            Interlocked.Read(ref _stats.Commits),
            Interlocked.Read(ref _stats.Creates) + Interlocked.Read(ref _stats.Updates) + Interlocked.Read(ref _stats.Deletes),
            Interlocked.Read(ref _stats.Signatures),
            _generator.Accounts.Count,
            faults,
            elapsed);
    }

    /// <summary>Asks a running generation to wind down (accounts a fault left behind still get a clean commit).</summary>
    public void RequestStop() => _pipeline.RequestStop();

    /// <summary>Stops generating and serving.</summary>
    public async Task StopAsync()
    {
        _pipeline.RequestStop();
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_run is not null)
        {
            try
            {
                await _run.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopping cancels an unfinished run.
            }
        }

        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        if (_app is not null)
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }

        _log.Dispose();
        _stopping.Dispose();
    }

    private async Task StartCoreAsync(ILoggerFactory? loggerFactory, CancellationToken cancellationToken)
    {
        _generator.Preload();

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (loggerFactory is not null)
        {
            builder.Services.AddSingleton(loggerFactory);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Parse(_options.BindAddress), _options.Port);
            kestrel.Limits.MaxRequestBodySize = 1024 * 1024;
        });
        var app = builder.Build();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        MapEndpoints(app);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        var host = _options.BindAddress is "0.0.0.0" or "::" ? "127.0.0.1" : _options.BindAddress;
        BaseUrl = new Uri($"http://{host}:{port}/");
        _run = Task.Run(() => _pipeline.RunAsync(_stopping.Token), CancellationToken.None);
    }

    private string PdsEndpoint => BaseUrl.ToString().TrimEnd('/');

    private bool DrawRequestFault(SimulatorFault fault)
    {
        if (!_options.Faults.TryGetValue(fault, out var rate) || rate <= 0)
        {
            return false;
        }

        lock (_requestRandomLock)
        {
            return _requestRandom.Chance(rate);
        }
    }
}
