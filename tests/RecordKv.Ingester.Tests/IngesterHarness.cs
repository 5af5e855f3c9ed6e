using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RecordKv.Hosting;

namespace RecordKv.Ingester.Tests;

/// <summary>An ingester host running in the test process against a test store and a simulator.</summary>
internal sealed class IngesterHarness : IAsyncDisposable
{
    private IngesterHarness(IHost host)
    {
        Host = host;
        Stats = host.Services.GetRequiredService<IngesterStats>();
    }

    public IHost Host { get; }

    public IngesterStats Stats { get; }

    /// <summary>The configuration flags of an ingester for a store and relay, with fast lease timing.</summary>
    public static List<string> Arguments(string natsUrl, TestStore store, Uri relay, string instanceId, long? cursor)
    {
        var args = new List<string>
        {
            "--Nats:Servers:0", natsUrl,
            "--RecordKv:Partitions", store.Partitions.ToString(CultureInfo.InvariantCulture),
            "--RecordKv:Names:RecordBucket", store.Names.RecordBucket,
            "--RecordKv:Names:RepoBucket", store.Names.RepoBucket,
            "--RecordKv:Names:IdentityBucket", store.Names.IdentityBucket,
            "--RecordKv:Names:ControlBucket", store.Names.ControlBucket,
            "--RecordKv:Names:FirehoseStream", store.Names.FirehoseStream,
            "--RecordKv:Names:FirehoseSubjectPrefix", store.Names.FirehoseSubjectPrefix,
            "--host", relay.ToString().TrimEnd('/'),
            "--source", "sim",
            "--Ingester:InstanceId", instanceId,
            "--Ingester:Lease:Ttl", "00:00:01.500",
            "--Ingester:Lease:RenewInterval", "00:00:00.250",
            "--Ingester:CursorSaveInterval", "00:00:00.100",
            "--Ingester:ReconnectMinDelay", "00:00:00.100",
            "--Ingester:BackpressureInterval", "00:00:00.050",
            "--Serilog:MinimumLevel:Default", "Warning",
        };
        if (cursor is { } seq)
        {
            args.Add("--cursor");
            args.Add(seq.ToString(CultureInfo.InvariantCulture));
        }

        return args;
    }

    public static async Task<IngesterHarness> StartAsync(IEnumerable<string> args, CancellationToken cancellationToken)
    {
        var array = args.ToArray();
        var builder = RecordKvHost.CreateBuilder(array, "recordkv-ingester-test", IngesterServiceCollectionExtensions.SwitchMappings);
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

        return new IngesterHarness(host);
    }

    public async Task StopAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await Host.StopAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Host.Dispose();
    }
}
