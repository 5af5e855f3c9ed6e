using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using RecordKv.Builder;
using RecordKv.Coordination;
using RecordKv.Nats;
using RecordKv.Simulator;
using RecordKv.Testing;
using Xunit.Abstractions;

namespace RecordKv.Pipeline.Tests;

/// <summary>
/// Measures verified commits/s through one builder over a preloaded FIREHOSE backlog. Runs only with
/// RECORDKV_BENCH_EVENTS set (scripts/bench-pipeline.sh sets it): it is a measurement, not a timed test.
/// </summary>
public sealed class BuilderThroughputTests
{
    private readonly ITestOutputHelper _output;

    public BuilderThroughputTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task OneBuilder_PreloadedBacklog_DrainsAndReportsCommitsPerSecond()
    {
        var events = long.TryParse(Environment.GetEnvironmentVariable("RECORDKV_BENCH_EVENTS"), out var configured) ? configured : 2000;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var cancellationToken = timeout.Token;
        var simulatorOptions = PipelineHarness.SimulatorOptions(events, new Dictionary<SimulatorFault, double>(), accounts: 200, rate: 0) with { AccountEvents = false, KeyRotations = false };
        await using var simulator = await FirehoseSimulator.StartAsync(simulatorOptions, cancellationToken: cancellationToken);
        await using var nats = await NatsServerProcess.StartAsync(cancellationToken: cancellationToken);
        await using var connection = await NatsConnection.ConnectAsync(PipelineHarness.Nats(nats.Url), cancellationToken);
        var store = await RecordKvStore.OpenAsync(connection, PipelineHarness.StoreOptions, cancellationToken: cancellationToken);
        await SimulatorFeeder.FeedAsync(simulator, events, store.JetStream, store.Names, store.Partitioner, cancellationToken);

        // Without resyncs of repositories first seen mid-history every commit is verified and applied.
        var lanes = int.TryParse(Environment.GetEnvironmentVariable("RECORDKV_BENCH_LANES"), out var configuredLanes) ? configuredLanes : 16;
        var options = PipelineHarness.BuilderOptions(simulator, "bench") with { ResyncUnknownRepos = false, LanesPerPartition = lanes };
        await using var builder = await BuilderRuntime.StartAsync(options, PipelineHarness.Nats(nats.Url), PipelineHarness.StoreOptions, NullLoggerFactory.Instance, cancellationToken);
        var server = NatsServerOf(nats);
        var serverCpu = server?.TotalProcessorTime ?? TimeSpan.Zero;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        for (var p = 0; p < PipelineHarness.Partitions; p++)
        {
            builder.StartPartition(p, cancellationToken);
        }

        await PipelineHarness.WaitDrainedAsync(store.JetStream, cancellationToken);
        watch.Stop();
        var cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        server?.Refresh();
        var serverCpuUsed = (server?.TotalProcessorTime ?? TimeSpan.Zero) - serverCpu;
        builder.Metrics.Commits.ShouldBeGreaterThan(events / 2);
        _output.WriteLine(
            $"{builder.Metrics.Commits} commits ({builder.Metrics.RecordWrites} record writes) in {watch.Elapsed.TotalSeconds:F1} s: " +
            $"{builder.Metrics.Commits / watch.Elapsed.TotalSeconds:F0} verified commits/s ({lanes} lanes/partition); builder-process CPU {cpuUsed.TotalSeconds:F1} s " +
            $"({cpuUsed.TotalMicroseconds / Math.Max(1, builder.Metrics.Commits):F0} µs per commit), nats-server CPU {serverCpuUsed.TotalSeconds:F1} s " +
            $"({serverCpuUsed.TotalMicroseconds / Math.Max(1, builder.Metrics.Commits):F0} µs per commit); peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MiB; " +
            $"load average {File.ReadAllText("/proc/loadavg").Trim()}");
    }

    // The nats-server child process of this test (its command line names the test's config file), for its CPU time.
    private static Process? NatsServerOf(NatsServerProcess nats)
    {
        foreach (var process in Process.GetProcessesByName("nats-server"))
        {
            try
            {
                if (File.ReadAllText($"/proc/{process.Id}/cmdline").Contains(nats.ConfigFile, StringComparison.Ordinal))
                {
                    return process;
                }
            }
            catch (IOException)
            {
            }

            process.Dispose();
        }

        return null;
    }
}
