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

    public static BuilderOptions BuilderOptions(FirehoseSimulator simulator, string instance) => BuilderOptions(simulator.BaseUrl, instance);

    /// <summary>Builder options resolving identities through a simulator at <paramref name="simulatorBase"/> (which may start later).</summary>
    public static BuilderOptions BuilderOptions(Uri simulatorBase, string instance) => new()
    {
        InstanceId = instance,
        PlcDirectory = simulatorBase.ToString(),
        DidWebGateway = simulatorBase.ToString(),
        AllowHttpDidWebOnLoopback = true,
        LeaseRenewInterval = TimeSpan.FromMilliseconds(500),
        LeaseTtl = TimeSpan.FromSeconds(2),
        AckWait = TimeSpan.FromSeconds(5),
        HttpRetryDelay = TimeSpan.FromMilliseconds(50),
        HttpAttempts = 6,
        ResyncRetryMinDelay = TimeSpan.FromMilliseconds(200),
        ResyncRetryMaxDelay = TimeSpan.FromSeconds(2),
    };

    /// <summary>Starts an in-process builder with the given options.</summary>
    public static Task<BuilderRuntime> StartBuilderAsync(BuilderOptions options, string url, CancellationToken cancellationToken) =>
        BuilderRuntime.StartAsync(options, Nats(url), StoreOptions, TestLoggerFactory(), cancellationToken);

    /// <summary>Console logging when RECORDKV_TEST_LOG is set, else none.</summary>
    public static ILoggerFactory TestLoggerFactory() =>
        Environment.GetEnvironmentVariable("RECORDKV_TEST_LOG") is null ? NullLoggerFactory.Instance : LoggerFactory.Create(b => b.AddConsole());

    /// <summary>Waits until the builders together hold every partition, split evenly (so no partition moves during the run).</summary>
    public static async Task WaitPartitionsSettledAsync(IReadOnlyList<BuilderRuntime> builders, CancellationToken cancellationToken)
    {
        var share = Partitions / builders.Count;
        while (true)
        {
            var total = 0;
            var even = true;
            foreach (var builder in builders)
            {
                total += builder.Partitions.Count;
                even &= builder.Partitions.Count >= share;
            }

            if (total == Partitions && even)
            {
                return;
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    /// <summary>
    /// Waits until the whole run went through: the simulator finished, the ingester read and stored every frame, every
    /// consumer is drained and no builder waits to retry a resync.
    /// </summary>
    public static async Task WaitQuiescentAsync(FirehoseSimulator simulator, PipelineIngester ingester, NatsJetStreamContext jetStream, IReadOnlyList<BuilderRuntime> builders, CancellationToken cancellationToken)
    {
        while (!simulator.IsComplete || ingester.Stats.Read < simulator.GetSummary().Frames || ingester.Stats.Acked < ingester.Stats.Published)
        {
            await Task.Delay(50, cancellationToken);
        }

        while (true)
        {
            await WaitDrainedAsync(jetStream, cancellationToken);
            var pending = 0;
            foreach (var builder in builders)
            {
                pending += builder.PendingResyncRetries;
            }

            if (pending == 0)
            {
                return;
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>
    /// Resolves every account of a simulator that emits nothing (same seed, so the same accounts and first keys) in
    /// each builder's identity cache, then stops it; the real run starts on the same port afterwards.
    /// </summary>
    public static async Task WarmIdentitiesAsync(SimulatorOptions silentOptions, IReadOnlyList<BuilderRuntime> builders, CancellationToken cancellationToken)
    {
        await using var silent = await FirehoseSimulator.StartAsync(silentOptions with { Events = 0 }, cancellationToken: cancellationToken);
        var accounts = await ExpectedAsync(silent, cancellationToken);
        foreach (var builder in builders)
        {
            foreach (var did in accounts.Keys)
            {
                await builder.Identities.ResolveAsync(did, refresh: false, cancellationToken);
            }
        }
    }

    /// <summary>The simulator's <c>/_sim/stats</c> document.</summary>
    public static async Task<JsonElement> SimulatorStatsAsync(FirehoseSimulator simulator, CancellationToken cancellationToken)
    {
        using var http = new HttpClient();
        var text = await http.GetStringAsync(new Uri(simulator.BaseUrl, "/_sim/stats"), cancellationToken);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static RecordKvStoreOptions StoreOptions => new() { Partitions = Partitions };

    public static NatsOptions Nats(string url) => new() { Servers = [url] };

    public static Task<BuilderRuntime> StartBuilderAsync(FirehoseSimulator simulator, string url, string instance, CancellationToken cancellationToken) =>
        BuilderRuntime.StartAsync(BuilderOptions(simulator, instance), Nats(url), StoreOptions, TestLoggerFactory(), cancellationToken);

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
    public static SimulatorOptions SimulatorOptions(long events, IReadOnlyDictionary<SimulatorFault, double> faults, int accounts = 40, double rate = 300, int port = 0) => new()
    {
        Port = port,
        Seed = 11,
        Accounts = accounts,
        RecordsPerAccount = 10,
        Rate = rate,
        Events = events,
        BatchSize = 256,
        Faults = faults,
    };
}
