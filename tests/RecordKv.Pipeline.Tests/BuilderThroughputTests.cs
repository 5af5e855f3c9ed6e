using System.Diagnostics;
using System.Globalization;
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

        // The first third of the commits warms the JIT up (tiered compilation runs most of a short run's code
        // unoptimised, and compiles on the same two cores); the steady-state figures cover the rest.
        using var allocations = Environment.GetEnvironmentVariable("RECORDKV_BENCH_ALLOCS") is null ? null : new AllocationSampler();
        var warm = await WarmedUpAsync(builder, store, events / 3, server, watch, cancellationToken);
        if (allocations is not null)
        {
            allocations.Counting = true;
        }

        await PipelineHarness.WaitDrainedAsync(store.JetStream, cancellationToken);
        watch.Stop();
        var cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        server?.Refresh();
        var serverCpuUsed = (server?.TotalProcessorTime ?? TimeSpan.Zero) - serverCpu;
        builder.Metrics.Commits.ShouldBeGreaterThan(events / 2);
        if (allocations is not null)
        {
            allocations.Counting = false;
            foreach (var (type, bytes) in allocations.Top(25))
            {
                _output.WriteLine($"  sampled allocations: {bytes / (1024 * 1024.0),8:F1} MiB  {type}");
            }
        }

        if (warm is { } steady)
        {
            var commits = builder.Metrics.Commits - steady.Commits;
            var seconds = (watch.Elapsed - steady.Elapsed).TotalSeconds;
            var processCpu = Process.GetCurrentProcess().TotalProcessorTime - steady.ProcessCpu;
            var natsCpu = (server?.TotalProcessorTime ?? TimeSpan.Zero) - steady.ServerCpu;
            var allocated = GC.GetTotalAllocatedBytes(precise: false) - steady.Allocated;
            var jitCpu = BackgroundJitCpu() - steady.JitCpu;
            _output.WriteLine(
                $"steady state (after the first {steady.Commits} commits): {commits} commits in {seconds:F1} s, {commits / seconds:F0} commits/s; " +
                $"builder-process CPU {processCpu.TotalMicroseconds / Math.Max(1, commits):F0} µs per commit (of which background JIT {jitCpu.TotalMicroseconds / Math.Max(1, commits):F0} µs), nats-server CPU {natsCpu.TotalMicroseconds / Math.Max(1, commits):F0} µs per commit, " +
                $"allocated {allocated / Math.Max(1, commits):F0} B per commit, gen0/1/2 collections {GC.CollectionCount(0) - steady.Gen0}/{GC.CollectionCount(1) - steady.Gen1}/{GC.CollectionCount(2) - steady.Gen2}");
        }

        _output.WriteLine(
            $"{builder.Metrics.Commits} commits ({builder.Metrics.RecordWrites} record writes) in {watch.Elapsed.TotalSeconds:F1} s: " +
            $"{builder.Metrics.Commits / watch.Elapsed.TotalSeconds:F0} verified commits/s ({lanes} lanes/partition); builder-process CPU {cpuUsed.TotalSeconds:F1} s " +
            $"({cpuUsed.TotalMicroseconds / Math.Max(1, builder.Metrics.Commits):F0} µs per commit), nats-server CPU {serverCpuUsed.TotalSeconds:F1} s " +
            $"({serverCpuUsed.TotalMicroseconds / Math.Max(1, builder.Metrics.Commits):F0} µs per commit); peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MiB; " +
            $"load average {File.ReadAllText("/proc/loadavg").Trim()}");
    }

    // Waits until the builder has applied `commits` commits and notes the counters there; null when it drained first.
    private static async Task<SteadyStart?> WarmedUpAsync(BuilderRuntime builder, RecordKvStore store, long commits, Process? server, Stopwatch run, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        while (builder.Metrics.Commits < commits)
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(1))
            {
                var consumers = await store.JetStream.ListConsumersAsync(store.Names.FirehoseStream, cancellationToken);
                if (consumers.All(c => c.NumPending == 0 && c.NumAckPending == 0))
                {
                    return null;
                }

                watch.Restart();
            }

            await Task.Delay(5, cancellationToken);
        }

        server?.Refresh();
        return new SteadyStart(
            builder.Metrics.Commits,
            Process.GetCurrentProcess().TotalProcessorTime,
            server?.TotalProcessorTime ?? TimeSpan.Zero,
            GC.GetTotalAllocatedBytes(precise: false),
            GC.CollectionCount(0),
            GC.CollectionCount(1),
            GC.CollectionCount(2),
            BackgroundJitCpu(),
            run.Elapsed);
    }

    // CPU time of this process's tiered-compilation threads (user + system, from /proc), so the figures can tell the
    // JIT's share of a short run from the builder's own work. A thread that exited since is not counted.
    private static TimeSpan BackgroundJitCpu()
    {
        var ticks = 0L;
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                if (!File.ReadAllText(Path.Combine(task, "comm")).StartsWith(".NET Tiered", StringComparison.Ordinal))
                {
                    continue;
                }

                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
            }
        }

        // Linux reports thread times in clock ticks of 1/100 s.
        return TimeSpan.FromMilliseconds(ticks * 10);
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

    private readonly record struct SteadyStart(long Commits, TimeSpan ProcessCpu, TimeSpan ServerCpu, long Allocated, int Gen0, int Gen1, int Gen2, TimeSpan JitCpu, TimeSpan Elapsed);
}
