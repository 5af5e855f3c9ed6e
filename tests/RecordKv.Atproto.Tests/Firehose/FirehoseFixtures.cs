using System.Text.Json;
using RecordKv.Atproto.Cids;
using RecordKv.Atproto.Firehose;
using RecordKv.Testing;

namespace RecordKv.Atproto.Tests.Firehose;

/// <summary>Reads the captured <c>#commit</c> events of <c>shared/fixtures/real/firehose</c> (atproto JSON) into events.</summary>
internal static class FirehoseFixtures
{
    public static readonly long[] CapturedSeqs = [4623075231, 4621317030, 4621317332, 4621332152];

    public static CommitEvent LoadCommit(long seq)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(SharedFixtures.Path("real", "firehose", $"firehose_commit_{seq}.json")));
        var root = document.RootElement;
        var ops = new List<RepoOperation>();
        foreach (var op in root.GetProperty("ops").EnumerateArray())
        {
            var action = op.GetProperty("action").GetString() switch
            {
                "create" => RepoAction.Create,
                "update" => RepoAction.Update,
                "delete" => RepoAction.Delete,
                var other => throw new InvalidDataException($"unknown action {other}"),
            };
            ops.Add(new RepoOperation(action, op.GetProperty("path").GetString()!, Link(op, "cid"), Link(op, "prev")));
        }

        return new CommitEvent
        {
            Seq = root.GetProperty("seq").GetInt64(),
            Rebase = root.GetProperty("rebase").GetBoolean(),
            TooBig = root.GetProperty("tooBig").GetBoolean(),
            Repo = root.GetProperty("repo").GetString()!,
            Commit = Link(root, "commit")!.Value,
            Rev = root.GetProperty("rev").GetString()!,
            Since = root.GetProperty("since").GetString(),
            Blocks = Base64(root.GetProperty("blocks").GetProperty("$bytes").GetString()!),
            Ops = ops,
            PrevData = Link(root, "prevData"),
            Time = root.GetProperty("time").GetString()!,
        };
    }

    private static Cid? Link(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
            ? Cid.Parse(value.GetProperty("$link").GetString()!)
            : null;

    private static byte[] Base64(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - (padded.Length % 4)) % 4);
        return Convert.FromBase64String(padded);
    }
}
