using System.Diagnostics;
using System.Text.Json;
using RecordKv.Atproto.Blocks;
using RecordKv.Atproto.Cids;
using RecordKv.Atproto.Mst;
using RecordKv.Testing;

namespace RecordKv.Atproto.Tests.Mst;

/// <summary>
/// Checks our tree against Bluesky's implementation: tests/js/mst-crosscheck.mjs generates random repositories and
/// commits with @atproto/repo 0.8.13 (deterministic from a seed) and we rebuild each one.
/// </summary>
public sealed class MstCrossCheckTests
{
    private const int Seed = 20261122;
    private const int CaseCount = 300;

    [Fact]
    public async Task ReferenceCases_RebuiltWithOurTree_AgreeOnRootsBlocksDiffsProofsAndInversion()
    {
        var lines = await RunScriptAsync();
        lines.Count.ShouldBe(CaseCount);
        var failures = new List<string>();

        foreach (var line in lines)
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            var number = root.GetProperty("case").GetInt32();
            try
            {
                CheckCase(root);
            }
            catch (Exception e) when (e is ShouldAssertException or MstException)
            {
                failures.Add($"case {number}: {e.Message}");
            }
        }

        failures.ShouldBeEmpty(string.Join(Environment.NewLine, failures.Take(5)));
    }

    private static void CheckCase(JsonElement root)
    {
        foreach (var record in root.GetProperty("records").EnumerateArray())
        {
            Cid.ForDagCbor(Convert.FromBase64String(record[1].GetString()!)).ToString().ShouldBe(record[0].GetString(), "record CID");
        }

        var leaves = root.GetProperty("leaves").EnumerateArray()
            .Select(l => new MstLeaf(l[0].GetString()!, Cid.Parse(l[1].GetString()!)))
            .OrderBy(l => l.Key, StringComparer.Ordinal)
            .ToList();
        var before = MerkleSearchTree.Build(leaves);
        before.RootCid.ToString().ShouldBe(root.GetProperty("rootBefore").GetString(), "root before the commit");
        ShouldHoldExactly(before, root.GetProperty("nodesBefore"), "nodes before the commit");

        var operations = root.GetProperty("ops").EnumerateArray().Select(ReadOperation).ToList();
        var after = before;
        foreach (var operation in operations)
        {
            after = after.Apply(operation);
        }

        after.RootCid.ToString().ShouldBe(root.GetProperty("rootAfter").GetString(), "root after the commit");
        ShouldHoldExactly(after, root.GetProperty("nodesAfter"), "nodes after the commit");

        var expectedChanges = operations
            .Select(o => new MstChange(o.Key, o.Prev, o.Value))
            .OrderBy(c => c.Key, StringComparer.Ordinal);
        MstDiff.Compute(before, after).ShouldBe(expectedChanges.ToList(), ignoreOrder: false, customMessage: "diff");

        var commitBlocks = new BlockMap();
        var expectedProof = new List<string>();
        foreach (var block in root.GetProperty("commitBlocks").EnumerateArray())
        {
            var cid = Cid.Parse(block[0].GetString()!);
            commitBlocks.Add(cid, Convert.FromBase64String(block[2].GetString()!));
            if (block[1].GetString() == "mst")
            {
                expectedProof.Add(cid.ToString());
            }
        }

        var proof = MstProof.ForCommit(after, operations);
        proof.Cids.Select(c => c.ToString()).Order(StringComparer.Ordinal).ShouldBe(expectedProof.Order(StringComparer.Ordinal), "proof blocks");

        // A consumer holds only the commit's blocks: inverting from them must give the previous root.
        var inverted = MstInversion.Invert(MerkleSearchTree.Load(after.RootCid, commitBlocks), operations);
        inverted.RootCid.ToString().ShouldBe(root.GetProperty("rootBefore").GetString(), "inverted root");
    }

    private static MstOperation ReadOperation(JsonElement op)
    {
        var key = op.GetProperty("key").GetString()!;
        Cid? value = op.GetProperty("cid").ValueKind == JsonValueKind.Null ? null : Cid.Parse(op.GetProperty("cid").GetString()!);
        Cid? prev = op.GetProperty("prev").ValueKind == JsonValueKind.Null ? null : Cid.Parse(op.GetProperty("prev").GetString()!);
        return op.GetProperty("action").GetString() switch
        {
            "create" => MstOperation.Create(key, value!.Value),
            "update" => MstOperation.Update(key, value!.Value, prev!.Value),
            "delete" => MstOperation.Delete(key, prev!.Value),
            var other => throw new InvalidDataException($"unknown action {other}"),
        };
    }

    private static void ShouldHoldExactly(MerkleSearchTree tree, JsonElement expected, string what)
    {
        var ours = new BlockMap();
        tree.WriteBlocks(ours);
        ours.Count.ShouldBe(expected.GetArrayLength(), what);
        foreach (var node in expected.EnumerateArray())
        {
            ours.TryGet(Cid.Parse(node[0].GetString()!), out var block).ShouldBeTrue($"{what}: {node[0].GetString()}");
            Convert.ToBase64String(block.Span).ShouldBe(node[1].GetString(), what);
        }
    }

    private static async Task<List<string>> RunScriptAsync()
    {
        var root = SharedFixtures.JavaScriptRoot;
        if (!Directory.Exists(Path.Combine(root, "node_modules", "@atproto", "repo")))
        {
            Assert.Fail($"The cross-check needs the npm packages: run `npm ci --no-audit --no-fund` in {root}.");
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var start = new ProcessStartInfo("node", ["mst-crosscheck.mjs", Seed.ToString(System.Globalization.CultureInfo.InvariantCulture), CaseCount.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        var text = await output;
        process.ExitCode.ShouldBe(0, await errors);
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }
}
