using RecordKv.Atproto.Crypto;
using RecordKv.Atproto.Firehose;
using RecordKv.Atproto.Identity;

namespace RecordKv.Simulator.Tests;

/// <summary>The project's own sync 1.1 verifier (signature, proofs, inversion to prevData, rev order) judges the stream.</summary>
public sealed class CommitVerifierCrossCheckTests
{
    [Fact]
    public async Task Verify_EveryCommitWithoutFaults_IsValidAndChained()
    {
        var outcome = await VerifyStreamAsync(new Dictionary<SimulatorFault, double>());

        outcome.Failures.ShouldBeEmpty(string.Join("\n", outcome.Samples));
        outcome.Valid.ShouldBeGreaterThan(1400);
    }

    [Fact]
    public async Task Verify_WithChainFaults_RejectsEachInjectedCommitAndSeesEachGap()
    {
        var outcome = await VerifyStreamAsync(new Dictionary<SimulatorFault, double>
        {
            [SimulatorFault.BadSignature] = 0.01,
            [SimulatorFault.PrevDataGap] = 0.01,
            [SimulatorFault.StaleRev] = 0.01,
        });

        var faults = outcome.Summary.Faults;
        outcome.Failures.GetValueOrDefault(CommitCheck.Signature).ShouldBe(faults.GetValueOrDefault("bad-signature"), string.Join("\n", outcome.Samples));
        outcome.Failures.GetValueOrDefault(CommitCheck.RevOrder).ShouldBe(faults.GetValueOrDefault("stale-rev"));

        // A gap, and the clean commit that follows a rejected one, both break the chain.
        // (Two faults on one account before its clean commit share one break, hence a range.)
        var gaps = faults.GetValueOrDefault("prevdata-gap");
        outcome.Failures.GetValueOrDefault(CommitCheck.PrevData).ShouldBeInRange(gaps, gaps + faults.GetValueOrDefault("bad-signature"), $"gaps {gaps}, bad signatures {faults.GetValueOrDefault("bad-signature")}: {string.Join("\n", outcome.Samples)}");
        gaps.ShouldBeGreaterThan(0);
    }

    private static async Task<(int Valid, Dictionary<CommitCheck, long> Failures, List<string> Samples, SimulatorSummary Summary)> VerifyStreamAsync(Dictionary<SimulatorFault, double> faults)
    {
        var cancellationToken = SimulatorRun.Timeout(300);
        var options = SimulatorRun.Options(events: 1500, seed: 31) with { KeyRotations = false, P256Share = 0.2, Faults = faults };
        await using var simulator = await FirehoseSimulator.StartAsync(options, cancellationToken: cancellationToken);
        await simulator.Completion.WaitAsync(cancellationToken);
        var summary = simulator.GetSummary();
        var frames = await FirehoseFrames.ReadAsync(new Uri(simulator.FirehoseUrl + "?cursor=0"), frame => FirehoseFrames.Describe(frame).Seq >= summary.LastSeq, cancellationToken);

        using var http = new HttpClient { BaseAddress = simulator.BaseUrl };
        var keys = new Dictionary<string, AtprotoPublicKey>();
        var chain = new Dictionary<string, RepoChainState>();
        var verifier = new CommitVerifier();
        var failures = new Dictionary<CommitCheck, long>();
        var samples = new List<string>();
        var valid = 0;
        foreach (var frame in frames)
        {
            if (FirehoseFrame.Decode(frame) is not CommitEvent commit)
            {
                continue;
            }

            if (!keys.TryGetValue(commit.Repo, out var key))
            {
                key = DidDocument.Parse(await http.GetStringAsync("/" + Uri.EscapeDataString(commit.Repo), cancellationToken)).SigningKey!;
                keys[commit.Repo] = key;
            }

            var result = verifier.Verify(commit, key, chain.TryGetValue(commit.Repo, out var stored) ? stored : null);
            if (result.IsValid)
            {
                valid++;
                chain[commit.Repo] = new RepoChainState(commit.Rev, result.Commit!.Data);
                continue;
            }

            failures[result.FailedCheck] = failures.GetValueOrDefault(result.FailedCheck) + 1;
            if (samples.Count < 10)
            {
                samples.Add($"{commit.Seq} {commit.Repo}: {result}");
            }

            if (result.IsChainBroken)
            {
                // What a resync from getRepo gives: the state this authentic commit produced.
                chain[commit.Repo] = new RepoChainState(commit.Rev, result.Commit?.Data ?? default);
            }
        }

        return (valid, failures, samples, summary);
    }
}
