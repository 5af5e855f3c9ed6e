using System.Globalization;
using Microsoft.Extensions.Hosting;
using RecordKv.Coordination;
using RecordKv.Hosting;
using RecordKv.Ingester;

namespace RecordKv.Pipeline.Tests;

/// <summary>Our ingester, in this process, reading a refnet PDS's subscribeRepos from its first frame.</summary>
internal sealed class RefNetIngester : IAsyncDisposable
{
    private readonly IHost _host;

    private RefNetIngester(IHost host) => _host = host;

    /// <summary>Starts the ingester host against the store's NATS server and the PDS, from cursor 0 (the PDS's whole sequence).</summary>
    public static async Task<RefNetIngester> StartAsync(string natsUrl, RecordKvStoreOptions store, RefNetNetwork network, CancellationToken cancellationToken)
    {
        string[] args =
        [
            "--Nats:Servers:0", natsUrl,
            "--RecordKv:Partitions", store.Partitions.ToString(CultureInfo.InvariantCulture),
            "--host", $"ws://{network.Firehose.Authority}",
            "--source", "refnet",
            "--cursor", "0",
            "--Ingester:InstanceId", "refnet-ingester",
            "--Ingester:Lease:Ttl", "00:00:10",
            "--Ingester:Lease:RenewInterval", "00:00:01",
            "--Ingester:CursorSaveInterval", "00:00:00.200",
            "--Ingester:ReconnectMinDelay", "00:00:00.200",
            "--Ingester:ReconnectMaxDelay", "00:00:02",
            "--Serilog:MinimumLevel:Default", Environment.GetEnvironmentVariable("RECORDKV_TEST_LOG") is null ? "Warning" : "Information",
        ];
        var builder = RecordKvHost.CreateBuilder(args, "recordkv-ingester-refnet", IngesterServiceCollectionExtensions.SwitchMappings);
        builder.Services.AddRecordKvIngester();
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new RefNetIngester(host);
    }

    /// <summary>Stops the ingester (bounded) and disposes its host.</summary>
    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await _host.StopAsync(timeout.Token);
        }
        finally
        {
            _host.Dispose();
        }
    }
}
