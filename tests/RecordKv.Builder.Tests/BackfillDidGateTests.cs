using RecordKv.Testing;

namespace RecordKv.Builder.Tests;

public sealed class BackfillDidGateTests
{
    private const string Did = "did:plc:ewvi7nxzyoun6zhxrhs64oiz";

    [Fact]
    public async Task EnterLiveAsync_NoJob_CompletesAtOnce()
    {
        var gate = new BackfillDidGate();

        var entering = gate.EnterLiveAsync(Did, CancellationToken.None);

        entering.IsCompletedSuccessfully.ShouldBeTrue();
        await entering;
        gate.ExitLive(Did);
    }

    [Fact]
    public async Task EnterLiveAsync_JobHoldsDid_WaitsUntilTheJobIsDone()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var gate = new BackfillDidGate();
        var lease = await gate.EnterBackfillAsync(Did, timeout.Token);

        var entering = gate.EnterLiveAsync(Did, timeout.Token).AsTask();
        var other = gate.EnterLiveAsync("did:plc:someoneelse", timeout.Token);

        other.IsCompletedSuccessfully.ShouldBeTrue("another DID is not held");
        entering.IsCompleted.ShouldBeFalse();
        lease.Dispose();
        await entering.WaitAsync(timeout.Token);
        gate.IsHeld(Did).ShouldBeFalse();
    }

    [Fact]
    public async Task EnterBackfillAsync_LiveEventInFlight_WaitsUntilItExits()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var gate = new BackfillDidGate();
        await gate.EnterLiveAsync(Did, timeout.Token);

        var entering = gate.EnterBackfillAsync(Did, timeout.Token);
        await TestWait.UntilAsync(() => gate.IsHeld(Did), timeout.Token, "the job to register");

        entering.IsCompleted.ShouldBeFalse("a live event of the DID is still running");
        gate.ExitLive(Did);
        using var lease = await entering.WaitAsync(timeout.Token);
    }

    [Fact]
    public async Task EnterBackfillAsync_TwoJobsOfOneDid_RunOneAfterTheOther()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var gate = new BackfillDidGate();
        var first = await gate.EnterBackfillAsync(Did, timeout.Token);

        var second = gate.EnterBackfillAsync(Did, timeout.Token);

        second.IsCompleted.ShouldBeFalse();
        first.Dispose();
        using var lease = await second.WaitAsync(timeout.Token);
        gate.IsHeld(Did).ShouldBeTrue();
    }

    [Fact]
    public async Task Gate_ManyLiveEventsAndJobs_NeverOverlapForOneDid()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var gate = new BackfillDidGate();
        var inside = 0;
        var overlaps = 0;

        async Task LiveAsync()
        {
            for (var i = 0; i < 200; i++)
            {
                await gate.EnterLiveAsync(Did, timeout.Token);
                if (Interlocked.Increment(ref inside) > 1)
                {
                    Interlocked.Increment(ref overlaps);
                }

                await Task.Yield();
                Interlocked.Decrement(ref inside);
                gate.ExitLive(Did);
            }
        }

        async Task JobsAsync()
        {
            for (var i = 0; i < 50; i++)
            {
                using var lease = await gate.EnterBackfillAsync(Did, timeout.Token);
                if (Interlocked.Increment(ref inside) > 1)
                {
                    Interlocked.Increment(ref overlaps);
                }

                await Task.Yield();
                Interlocked.Decrement(ref inside);
            }
        }

        // One live lane per DID (as in the partition worker), several concurrent jobs.
        await Task.WhenAll(Task.Run(LiveAsync), Task.Run(JobsAsync), Task.Run(JobsAsync));

        overlaps.ShouldBe(0);
    }
}
