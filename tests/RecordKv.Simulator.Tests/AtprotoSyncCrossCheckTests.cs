using System.Globalization;
using System.Text.Json;

namespace RecordKv.Simulator.Tests;

/// <summary>
/// Bluesky's own verifying consumer (@atproto/sync 0.1.40's Firehose, with the simulator as its PLC directory) and
/// repository verifier (@atproto/repo's verifyRepo) judge the simulator's output (tests/js/sim-verify.mjs).
/// Key rotations are off: @atproto/sync checks every commit against the current DID document, so commits signed
/// before a rotation would fail for it, as they would on the real network.
/// </summary>
public sealed class AtprotoSyncCrossCheckTests
{
    [Fact]
    public async Task Firehose_NoFaults_AtprotoSyncVerifiesEveryCommitAndEveryRepo()
    {
        var cancellationToken = SimulatorRun.Timeout(600);
        var options = SimulatorRun.Options(events: 3000, seed: 21, accounts: 80) with { KeyRotations = false, P256Share = 0.2, DidWebShare = 0.1 };
        await using var simulator = await FirehoseSimulator.StartAsync(options, cancellationToken: cancellationToken);
        await simulator.Completion.WaitAsync(cancellationToken);
        var summary = simulator.GetSummary();

        using var result = await VerifyAsync(simulator, summary.LastSeq, cancellationToken);

        var root = result.RootElement;
        root.GetProperty("errors").GetProperty("total").GetInt32().ShouldBe(0, root.GetProperty("samples").ToString());
        var events = root.GetProperty("events");
        (events.GetProperty("create").GetInt32() + events.GetProperty("update").GetInt32() + events.GetProperty("delete").GetInt32()).ShouldBe((int)summary.Operations);
        var getRepo = root.GetProperty("getRepo");
        getRepo.GetProperty("failures").GetArrayLength().ShouldBe(0, getRepo.ToString());
        getRepo.GetProperty("mismatches").GetArrayLength().ShouldBe(0, getRepo.ToString());
        getRepo.GetProperty("checked").GetInt32().ShouldBeGreaterThan(70);
    }

    [Fact]
    public async Task Firehose_WithFaults_AtprotoSyncRejectsExactlyTheInjectedCommits()
    {
        var cancellationToken = SimulatorRun.Timeout(600);
        var faults = new Dictionary<SimulatorFault, double>
        {
            [SimulatorFault.BadSignature] = 0.01,
            [SimulatorFault.WrongKey] = 0.01,
            [SimulatorFault.HighS] = 0.01,
            [SimulatorFault.MissingProofBlock] = 0.01,
            [SimulatorFault.TruncatedCar] = 0.01,
            [SimulatorFault.PrevDataGap] = 0.005,
            [SimulatorFault.StaleRev] = 0.005,
            [SimulatorFault.DuplicateFrame] = 0.005,
            [SimulatorFault.UnknownEventType] = 0.005,
        };
        var options = SimulatorRun.Options(events: 3000, seed: 22, accounts: 80) with { KeyRotations = false, P256Share = 0.2, Faults = faults };
        await using var simulator = await FirehoseSimulator.StartAsync(options, cancellationToken: cancellationToken);
        await simulator.Completion.WaitAsync(cancellationToken);
        var injected = simulator.GetSummary().Faults;

        using var result = await VerifyAsync(simulator, simulator.GetSummary().LastSeq, cancellationToken);

        var byKind = result.RootElement.GetProperty("errors").GetProperty("byKind");
        var seen = $"signature={Count(byKind, "signature")} missing-block={Count(byKind, "missing-block")} car={Count(byKind, "car")} other={Count(byKind, "other")}";
        var expected = $"signature={injected["bad-signature"] + injected["wrong-key"] + injected["high-s"]} missing-block={injected["missing-proof-block"]} car={injected["truncated-car"]} other=0";
        seen.ShouldBe(expected, result.RootElement.GetProperty("samples").ToString());

        // After every fault the account got a clean commit, so resyncing from getRepo converges on the truth.
        var getRepo = result.RootElement.GetProperty("getRepo");
        getRepo.GetProperty("failures").GetArrayLength().ShouldBe(0, getRepo.ToString());
        getRepo.GetProperty("mismatches").GetArrayLength().ShouldBe(0, getRepo.ToString());
    }

    private static long Count(JsonElement byKind, string kind) => byKind.TryGetProperty(kind, out var value) ? value.GetInt64() : 0;

    private static Task<JsonDocument> VerifyAsync(FirehoseSimulator simulator, long untilSeq, CancellationToken cancellationToken) =>
        NodeScript.RunAsync(
            "sim-verify.mjs",
            ["--url", simulator.BaseUrl.ToString().TrimEnd('/'), "--until-seq", untilSeq.ToString(CultureInfo.InvariantCulture), "--getrepo", "--timeout", "540"],
            cancellationToken);
}
