using RecordKv.Contracts;
using RecordKv.Simulator;

namespace RecordKv.Pipeline.Tests;

/// <summary>
/// SIGTERM (what systemd, docker and run.sh send) to the services as child processes: they exit within seconds, and
/// release their leases so a standby takes over at once rather than after the lease TTL, also when NATS is gone.
/// </summary>
public sealed class ServiceProcessShutdownTests
{
    // Far longer than any wait below: a standby that takes over in time can only have done so because of a release.
    private static readonly TimeSpan LongLeaseTtl = TimeSpan.FromSeconds(90);

    // run.sh kills what has not stopped 20 s after SIGTERM; a graceful stop must fit well inside it even when loaded.
    private static readonly TimeSpan ExitBudget = TimeSpan.FromSeconds(20);

    // The host's own stop timeout is raised above the exit budget, so only a bounded stop of the workers passes.
    private static readonly Dictionary<string, string> SlowHostTimeout = new(StringComparer.Ordinal)
    {
        ["RECORDKV_RecordKv__ShutdownTimeout"] = "00:01:00",
    };

    [Fact]
    public async Task Builder_SigtermWithAnotherBuilderRunning_ExitsAndReleasesPartitionsBeforeTheirTtl()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        var cancellationToken = timeout.Token;
        await using var pipeline = await CrashPipeline.StartAsync(SmallSimulator(), cancellationToken);
        var stopping = pipeline.StartBuilder("builder-stopping", LongLeaseTtl, TimeSpan.FromMilliseconds(500), SlowHostTimeout);
        await WaitAsync(async () => await pipeline.PartitionsHeldAsync("builder-stopping", cancellationToken) == PipelineHarness.Partitions, stopping, "it to hold every partition", cancellationToken);
        var standby = pipeline.StartBuilder("builder-staying", LongLeaseTtl, TimeSpan.FromMilliseconds(500), SlowHostTimeout);
        await WaitAsync(async () => await pipeline.PartitionsHeldAsync("builder-staying", cancellationToken) > 0, standby, "the second builder to get its share", cancellationToken);

        stopping.Terminate();

        (await stopping.WaitForExitAsync(ExitBudget)).ShouldBeTrue($"the builder exits within {ExitBudget} of SIGTERM\n{stopping.RecentOutput}");
        stopping.ExitCode.ShouldBe(0, stopping.RecentOutput);
        stopping.RecentOutput.ShouldContain("Workers stopped", customMessage: "the workers stopped by themselves, not by the host's timeout");
        await WaitAsync(async () => await pipeline.PartitionsHeldAsync("builder-staying", cancellationToken) == PipelineHarness.Partitions, standby, "the other builder to take every partition", cancellationToken);
    }

    [Fact]
    public async Task Ingester_SigtermWithStandbyRunning_ExitsAndReleasesLeaseBeforeItsTtl()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        var cancellationToken = timeout.Token;
        await using var pipeline = await CrashPipeline.StartAsync(SmallSimulator(), cancellationToken);
        var stopping = pipeline.StartIngester("ingester-stopping", cursor: 0, LongLeaseTtl, SlowHostTimeout);
        await WaitAsync(async () => await pipeline.LeaseHolderAsync(ControlKeys.IngestLease, cancellationToken) == "ingester-stopping", stopping, "it to lead", cancellationToken);
        await WaitAsync(async () => await pipeline.SavedCursorAsync(cancellationToken) > 0, stopping, "a saved cursor", cancellationToken);
        var standby = pipeline.StartIngester("ingester-standby", cursor: null, LongLeaseTtl, SlowHostTimeout);
        await WaitAsync(() => Task.FromResult(standby.RecentOutput.Contains("standing by", StringComparison.Ordinal)), standby, "the standby to wait for the lease", cancellationToken);

        stopping.Terminate();

        (await stopping.WaitForExitAsync(ExitBudget)).ShouldBeTrue($"the ingester exits within {ExitBudget} of SIGTERM\n{stopping.RecentOutput}");
        stopping.ExitCode.ShouldBe(0, stopping.RecentOutput);
        stopping.RecentOutput.ShouldContain("Workers stopped", customMessage: "the workers stopped by themselves, not by the host's timeout");
        await WaitAsync(async () => await pipeline.LeaseHolderAsync(ControlKeys.IngestLease, cancellationToken) == "ingester-standby", standby, "the standby to lead", cancellationToken);
    }

    [Fact]
    public async Task Services_SigtermWhileNatsIsDown_ExitWithoutWaitingForNats()
    {
        // Ctrl-C in run.sh reaches nats-server and the services together: releasing leases and saving the cursor cannot
        // succeed, and must not hold the stop up (16 partition releases × a 5 s request timeout did).
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        var cancellationToken = timeout.Token;
        await using var pipeline = await CrashPipeline.StartAsync(SmallSimulator(), cancellationToken);
        var builder = pipeline.StartBuilder("builder", LongLeaseTtl, TimeSpan.FromMilliseconds(500), SlowHostTimeout);
        var ingester = pipeline.StartIngester("ingester", cursor: 0, LongLeaseTtl, SlowHostTimeout);
        await WaitAsync(async () => await pipeline.PartitionsHeldAsync("builder", cancellationToken) == PipelineHarness.Partitions, builder, "the builder to hold every partition", cancellationToken);
        await WaitAsync(async () => await pipeline.SavedCursorAsync(cancellationToken) > 0, ingester, "the ingester to save a cursor", cancellationToken);

        await pipeline.Nats.KillAsync(cancellationToken);
        builder.Terminate();
        ingester.Terminate();

        foreach (var service in new[] { builder, ingester })
        {
            (await service.WaitForExitAsync(ExitBudget)).ShouldBeTrue($"{service.Name} exits within {ExitBudget} of SIGTERM with NATS down\n{service.RecentOutput}");
            service.ExitCode.ShouldBe(0, service.RecentOutput);
            service.RecentOutput.ShouldContain("Workers stopped", customMessage: $"{service.Name}: the workers stopped by themselves, not by the host's timeout");
        }
    }

    private static SimulatorOptions SmallSimulator() =>
        PipelineHarness.SimulatorOptions(200, new Dictionary<SimulatorFault, double>(), accounts: 10, rate: 100);

    private static async Task WaitAsync(Func<Task<bool>> condition, ServiceProcess service, string what, CancellationToken cancellationToken)
    {
        while (!await condition())
        {
            service.HasExited.ShouldBeFalse($"{service.Name} exited while waiting for {what}\n{service.RecentOutput}");
            if (cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Timed out waiting for {what}\n{service.RecentOutput}");
            }

            try
            {
                await Task.Delay(50, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Timed out waiting for {what}\n{service.RecentOutput}");
            }
        }
    }
}
