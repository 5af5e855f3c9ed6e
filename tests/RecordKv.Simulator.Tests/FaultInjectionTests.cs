using System.Net;
using RecordKv.Atproto.Cbor;

namespace RecordKv.Simulator.Tests;

public sealed class FaultInjectionTests
{
    [Fact]
    public async Task SubscribeRepos_FrameFaults_EmitsWhatStatsCount()
    {
        var cancellationToken = SimulatorRun.Timeout(300);
        var faults = new Dictionary<SimulatorFault, double>
        {
            [SimulatorFault.MalformedCbor] = 0.02,
            [SimulatorFault.OversizedFrame] = 0.006,
            [SimulatorFault.DuplicateFrame] = 0.02,
            [SimulatorFault.UnknownEventType] = 0.02,
        };
        await using var simulator = await FirehoseSimulator.StartAsync(SimulatorRun.Options(events: 1500) with { Faults = faults }, cancellationToken: cancellationToken);
        await simulator.Completion.WaitAsync(cancellationToken);
        var summary = simulator.GetSummary();
        var frames = await ReadUntilFrameCountAsync(simulator, summary.Frames, cancellationToken);

        long malformed = 0, oversized = 0, unknown = 0, duplicates = 0, previousSeq = -1;
        foreach (var frame in frames)
        {
            if (frame.Length > 5 * 1024 * 1024)
            {
                oversized++;
            }

            try
            {
                var reader = new DagCborReader(frame);
                reader.SkipValue();
                reader.SkipValue();
                reader.IsAtEnd.ShouldBeTrue();
            }
            catch (CborFormatException)
            {
                malformed++;
                continue;
            }

            var (type, seq) = FirehoseFrames.Describe(frame);
            unknown += type == "#simUnknown" ? 1 : 0;
            duplicates += seq == previousSeq ? 1 : 0;
            previousSeq = seq;
        }

        frames.Count.ShouldBe((int)summary.Frames);
        (malformed * oversized * unknown * duplicates).ShouldBeGreaterThan(0);
        malformed.ShouldBe(summary.Faults.GetValueOrDefault("malformed-cbor"));
        oversized.ShouldBe(summary.Faults.GetValueOrDefault("oversized-frame"));
        unknown.ShouldBe(summary.Faults.GetValueOrDefault("unknown-event-type"));
        duplicates.ShouldBe(summary.Faults.GetValueOrDefault("duplicate-frame"));
    }

    [Theory]
    [InlineData(SimulatorFault.GetRepoError, HttpStatusCode.InternalServerError)]
    [InlineData(SimulatorFault.GetRepoRateLimited, HttpStatusCode.TooManyRequests)]
    public async Task GetRepo_ErrorFaultAtRateOne_AnswersWithTheStatus(SimulatorFault fault, HttpStatusCode status)
    {
        var cancellationToken = SimulatorRun.Timeout();
        await using var simulator = await FirehoseSimulator.StartAsync(SimulatorRun.Options(events: 10) with { Faults = new Dictionary<SimulatorFault, double> { [fault] = 1 } }, cancellationToken: cancellationToken);
        await simulator.Completion.WaitAsync(cancellationToken);
        using var http = new HttpClient { BaseAddress = simulator.BaseUrl };
        var did = RepoCheck.ParseExpected(await http.GetStringAsync("/_sim/expected", cancellationToken)).First(a => a.Status == "active").Did;

        using var response = await http.GetAsync($"/xrpc/com.atproto.sync.getRepo?did={Uri.EscapeDataString(did)}", cancellationToken);

        response.StatusCode.ShouldBe(status);
        if (status == HttpStatusCode.TooManyRequests)
        {
            response.Headers.RetryAfter.ShouldNotBeNull().Delta.ShouldBe(TimeSpan.FromSeconds(1));
        }

        simulator.GetSummary().Faults[SimulatorFaultNames.NameOf(fault)].ShouldBe(1);
    }

    [Fact]
    public async Task GetRepo_TruncatedFault_SendsAPrefixOfTheCar()
    {
        var cancellationToken = SimulatorRun.Timeout();
        await using var simulator = await FirehoseSimulator.StartAsync(SimulatorRun.Options(events: 10) with { Faults = new Dictionary<SimulatorFault, double> { [SimulatorFault.GetRepoTruncated] = 1 } }, cancellationToken: cancellationToken);
        await simulator.Completion.WaitAsync(cancellationToken);
        using var http = new HttpClient { BaseAddress = simulator.BaseUrl };
        var did = RepoCheck.ParseExpected(await http.GetStringAsync("/_sim/expected", cancellationToken)).First(a => a.Status == "active").Did;

        var car = await http.GetByteArrayAsync($"/xrpc/com.atproto.sync.getRepo?did={Uri.EscapeDataString(did)}", cancellationToken);

        Should.Throw<RecordKv.Atproto.Car.CarFormatException>(() => RecordKv.Atproto.Car.CarReader.ReadAll(car));
    }

    private static async Task<List<byte[]>> ReadUntilFrameCountAsync(FirehoseSimulator simulator, long count, CancellationToken cancellationToken)
    {
        var seen = 0L;
        return await FirehoseFrames.ReadAsync(new Uri(simulator.FirehoseUrl + "?cursor=0"), _ => ++seen >= count, cancellationToken);
    }
}
