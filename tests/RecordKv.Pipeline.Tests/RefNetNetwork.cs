using System.Text.Json;

namespace RecordKv.Pipeline.Tests;

/// <summary>
/// Bluesky's reference PLC directory + PDS (refnet's <c>start-network.mjs</c>) on 127.0.0.1, with a time to live so
/// it exits by itself even if this process dies; killed, and its data folder deleted, on dispose.
/// </summary>
internal sealed class RefNetNetwork : IAsyncDisposable
{
    private readonly RefNetNodeProcess _process;
    private readonly string _dataDirectory;

    private RefNetNetwork(RefNetNodeProcess process, string dataDirectory, JsonElement info)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        PdsUrl = new Uri(info.GetProperty("pdsUrl").GetString()!);
        PlcUrl = new Uri(info.GetProperty("plcUrl").GetString()!);
        Firehose = new Uri(info.GetProperty("firehose").GetString()!);
    }

    /// <summary>The PDS's public URL (http://localhost:PORT, as the DID documents name it).</summary>
    public Uri PdsUrl { get; }

    /// <summary>The PLC directory's URL (http://localhost:PORT).</summary>
    public Uri PlcUrl { get; }

    /// <summary>The PDS's subscribeRepos WebSocket (ws://127.0.0.1:PORT/xrpc/com.atproto.sync.subscribeRepos).</summary>
    public Uri Firehose { get; }

    /// <summary>What the network wrote to stderr (for failure messages).</summary>
    public string StandardError => _process.StandardError;

    /// <summary>Starts the network and waits for its one JSON line of URLs; it exits by itself after <paramref name="timeToLive"/>.</summary>
    public static async Task<RefNetNetwork> StartAsync(TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        var script = RefNetInstallation.Script("start-network.mjs");
        var dataDirectory = Directory.CreateTempSubdirectory("recordkv-refnet-").FullName;
        var process = RefNetNodeProcess.Start(script, ["--ttl", ((int)timeToLive.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture), "--data-dir", dataDirectory]);
        try
        {
            var line = await process.ReadLineAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"refnet's start-network.mjs exited before printing its URLs:\n{process.StandardError}");
            using var info = JsonDocument.Parse(line);
            return new RefNetNetwork(process, dataDirectory, info.RootElement);
        }
        catch
        {
            await process.DisposeAsync().ConfigureAwait(false);
            Directory.Delete(dataDirectory, recursive: true);
            throw;
        }
    }

    /// <summary>Kills the PLC + PDS and deletes their data.</summary>
    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync().ConfigureAwait(false);
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a dying process; the temporary folder is reclaimed with the rest of /tmp.
        }
    }
}
