using System.Diagnostics;
using System.Text.Json;
using RecordKv.Atproto.Cids;
using RecordKv.Atproto.Crypto;
using RecordKv.Atproto.Firehose;
using RecordKv.Atproto.Repo;
using RecordKv.Testing;

namespace RecordKv.Atproto.Tests.Firehose;

/// <summary>Loads and verifies a repository and a sync 1.1 commit produced by Bluesky's @atproto/repo (tests/js/repo-commit-crosscheck.mjs).</summary>
public sealed class AtprotoRepoCrossCheckTests
{
    private static readonly Lazy<JsonElement> Output = new(RunScript);

    [Fact]
    public void Load_RepositoryExportedByAtprotoRepo_HasTheSameRecordsAndVerifies()
    {
        var output = Output.Value;
        var repository = Repository.Load(Convert.FromBase64String(output.GetProperty("repositoryCarBase64").GetString()!));

        repository.Did.ShouldBe(output.GetProperty("did").GetString());
        repository.CommitCid.ShouldBe(Cid.Parse(output.GetProperty("first").GetProperty("commit").GetString()!));
        repository.DataCid.ShouldBe(Cid.Parse(output.GetProperty("first").GetProperty("data").GetString()!));
        repository.Records.Select(r => (r.Path, r.Cid.ToString()))
            .ShouldBe(output.GetProperty("records").EnumerateArray().Select(r => (r.GetProperty("path").GetString()!, r.GetProperty("cid").GetString()!)));
        repository.VerifySignature(AtprotoPublicKey.ParseDidKey(output.GetProperty("didKey").GetString()!)).ShouldBeTrue();
    }

    [Fact]
    public void Verify_CommitFormattedByAtprotoRepo_IsValidAndInvertsToItsPrevData()
    {
        var output = Output.Value;
        var first = output.GetProperty("first");
        var json = output.GetProperty("commit");
        var commitEvent = new CommitEvent
        {
            Seq = 1,
            Repo = output.GetProperty("did").GetString()!,
            Commit = Cid.Parse(json.GetProperty("commit").GetString()!),
            Rev = json.GetProperty("rev").GetString()!,
            Since = json.GetProperty("since").GetString(),
            Blocks = Convert.FromBase64String(json.GetProperty("blocksBase64").GetString()!),
            Ops = json.GetProperty("ops").EnumerateArray().Select(ToOperation).ToArray(),
            PrevData = Cid.Parse(json.GetProperty("prevData").GetString()!),
            Time = "2025-02-06T01:43:22.273Z",
        };
        var key = AtprotoPublicKey.ParseDidKey(output.GetProperty("didKey").GetString()!);
        var stored = new RepoChainState(first.GetProperty("rev").GetString()!, Cid.Parse(first.GetProperty("data").GetString()!));

        var decoded = (CommitEvent)FirehoseFrame.Decode(FirehoseFrame.Encode(commitEvent));
        var result = new CommitVerifier().Verify(decoded, key, stored);

        result.ToString().ShouldBe("valid");
        result.Commit!.Data.ToString().ShouldBe(json.GetProperty("data").GetString());
        result.Writes.Select(w => (w.Collection + "/" + w.RecordKey, w.Action)).ShouldBe(commitEvent.Ops.Select(o => (o.Path, o.Action)));
        foreach (var write in result.Writes.Where(w => w.Action != RepoAction.Delete))
        {
            write.Cid!.Value.Matches(write.Record.Span).ShouldBeTrue();
        }
    }

    private static RepoOperation ToOperation(JsonElement op)
    {
        var action = op.GetProperty("action").GetString() switch
        {
            "create" => RepoAction.Create,
            "update" => RepoAction.Update,
            _ => RepoAction.Delete,
        };
        Cid? Link(string name) => op.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? Cid.Parse(value.GetString()!) : null;
        return new RepoOperation(action, op.GetProperty("path").GetString()!, Link("cid"), Link("prev"));
    }

    private static JsonElement RunScript()
    {
        var script = Path.Combine(SharedFixtures.JavaScriptRoot, "repo-commit-crosscheck.mjs");
        if (!Directory.Exists(Path.Combine(SharedFixtures.JavaScriptRoot, "node_modules", "@atproto", "repo")))
        {
            throw new InvalidOperationException($"Run 'npm ci' in {SharedFixtures.JavaScriptRoot} first (test.sh does).");
        }

        var startInfo = new ProcessStartInfo("node", [script])
        {
            WorkingDirectory = SharedFixtures.JavaScriptRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} did not finish within 60 s.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} exited with {process.ExitCode}: {error.Result}");
        }

        using var document = JsonDocument.Parse(output.Result);
        return document.RootElement.Clone();
    }
}
