using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RecordKv.Builder;
using RecordKv.Contracts;
using RecordKv.Coordination;
using RecordKv.Nats;
using RecordKv.Nats.JetStream;
using RecordKv.Nats.KeyValue;
using RecordKv.Simulator;

namespace RecordKv.Pipeline.Tests;

/// <summary>Shared pieces of the end-to-end tests: options, waiting for the builders to drain, reading the store.</summary>
internal static class PipelineHarness
{
    public const int Partitions = 8;

    public static BuilderOptions BuilderOptions(FirehoseSimulator simulator, string instance) => new()
    {
        InstanceId = instance,
        PlcDirectory = simulator.BaseUrl.ToString(),
        DidWebGateway = simulator.BaseUrl.ToString(),
        AllowHttpDidWebOnLoopback = true,
        LeaseRenewInterval = TimeSpan.FromMilliseconds(500),
        LeaseTtl = TimeSpan.FromSeconds(2),
        AckWait = TimeSpan.FromSeconds(5),
        HttpRetryDelay = TimeSpan.FromMilliseconds(50),
        HttpAttempts = 6,
    };

    public static RecordKvStoreOptions StoreOptions => new() { Partitions = Partitions };

    public static NatsOptions Nats(string url) => new() { Servers = [url] };

    public static Task<BuilderRuntime> StartBuilderAsync(FirehoseSimulator simulator, string url, string instance, CancellationToken cancellationToken) =>
        BuilderRuntime.StartAsync(BuilderOptions(simulator, instance), Nats(url), StoreOptions, Environment.GetEnvironmentVariable("RECORDKV_TEST_LOG") is null ? NullLoggerFactory.Instance : LoggerFactory.Create(b => b.AddConsole()), cancellationToken);

    /// <summary>Waits until every partition's consumer exists and has nothing pending or unacknowledged.</summary>
    public static async Task WaitDrainedAsync(NatsJetStreamContext jetStream, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var consumers = await jetStream.ListConsumersAsync(new StoreNames().FirehoseStream, cancellationToken);
            var drained = consumers.Count(c => c.Name.StartsWith("kv-builder-", StringComparison.Ordinal) && c.NumPending == 0 && c.NumAckPending == 0);
            if (drained == Partitions)
            {
                return;
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>The simulator's expected accounts, by DID.</summary>
    public static async Task<Dictionary<string, JsonElement>> ExpectedAsync(FirehoseSimulator simulator, CancellationToken cancellationToken)
    {
        using var http = new HttpClient();
        var text = await http.GetStringAsync(new Uri(simulator.BaseUrl, "/_sim/expected"), cancellationToken);
        var accounts = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var account = JsonDocument.Parse(line).RootElement.Clone();
            accounts[account.GetProperty("did").GetString()!] = account;
        }

        return accounts;
    }

    /// <summary>Every record in the bucket as at-uri → CID (from the Atproto-Cid header).</summary>
    public static async Task<Dictionary<string, string>> RecordsAsync(NatsKvStore records, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        var keys = new List<string>();
        await foreach (var key in records.GetKeysAsync(">", cancellationToken))
        {
            keys.Add(key);
        }

        foreach (var key in keys)
        {
            var entry = await records.GetAsync(key, cancellationToken);
            if (entry is { Operation: NatsKvOperation.Put })
            {
                found[RecordStoreKeys.ParseKey(key, out _).ToAtUri()] = entry.Headers?.GetLastValue(AtprotoHeaders.Cid) ?? "";
            }
        }

        return found;
    }

    /// <summary>Records the store should hold: every record of accounts that are active (hidden inactive accounts hold none).</summary>
    public static Dictionary<string, string> ExpectedRecords(Dictionary<string, JsonElement> accounts)
    {
        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var account in accounts.Values)
        {
            if (!account.GetProperty("active").GetBoolean())
            {
                continue;
            }

            foreach (var record in account.GetProperty("records").EnumerateArray())
            {
                expected[record.GetProperty("uri").GetString()!] = record.GetProperty("cid").GetString()!;
            }
        }

        return expected;
    }

    /// <summary>A bounded simulator paced below what the builders sustain, so they verify events live rather than resync past them.</summary>
    public static SimulatorOptions SimulatorOptions(long events, IReadOnlyDictionary<SimulatorFault, double> faults, int accounts = 40, double rate = 300) => new()
    {
        Port = 0,
        Seed = 11,
        Accounts = accounts,
        RecordsPerAccount = 10,
        Rate = rate,
        Events = events,
        BatchSize = 256,
        Faults = faults,
    };
}
