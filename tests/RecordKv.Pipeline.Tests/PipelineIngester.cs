using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RecordKv.Hosting;
using RecordKv.Ingester;

namespace RecordKv.Pipeline.Tests;

/// <summary>The real ingester (<c>IngesterService</c> and its host) running in the test process against a relay URL.</summary>
internal sealed class PipelineIngester : IAsyncDisposable
{
    private PipelineIngester(IHost host)
    {
        Host = host;
        Stats = host.Services.GetRequiredService<IngesterStats>();
    }

    public IHost Host { get; }

    public IngesterStats Stats { get; }

    /// <summary>
    /// Starts an ingester reading <paramref name="relay"/> (the simulator, or a PDS's firehose) from seq 1
    /// (<c>--cursor 0</c>) into the test store, saving its cursor under <paramref name="source"/>. It retries the
    /// connection quickly, so the relay may start after it.
    /// </summary>
    public static async Task<PipelineIngester> StartAsync(string natsUrl, Uri relay, string source, CancellationToken cancellationToken)
    {
        string[] args =
        [
            "--Nats:Servers:0", natsUrl,
            "--RecordKv:Partitions", PipelineHarness.Partitions.ToString(CultureInfo.InvariantCulture),
            "--host", relay.ToString().TrimEnd('/'),
            "--source", source,
            "--cursor", "0",
            "--Ingester:InstanceId", source + "-test-ingester",
            "--Ingester:ReconnectMinDelay", "00:00:00.100",
            "--Ingester:ReconnectMaxDelay", "00:00:00.500",
            "--Ingester:CursorSaveInterval", "00:00:00.250",
            // A lease lost on a loaded machine would make it republish from the saved cursor (deduplicated, but counted).
            "--Ingester:Lease:Ttl", "00:00:30",
            "--Ingester:Lease:RenewInterval", "00:00:01",
            "--Serilog:MinimumLevel:Default", Environment.GetEnvironmentVariable("RECORDKV_TEST_LOG") is null ? "Error" : "Information",
        ];
        var builder = RecordKvHost.CreateBuilder(args, "recordkv-ingester-pipeline-test", IngesterServiceCollectionExtensions.SwitchMappings);
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

        return new PipelineIngester(host);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await Host.StopAsync(timeout.Token);
        }
        finally
        {
            Host.Dispose();
        }
    }
}
