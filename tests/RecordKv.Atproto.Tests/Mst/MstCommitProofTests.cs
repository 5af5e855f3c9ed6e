using System.Text.Json;
using RecordKv.Atproto.Blocks;
using RecordKv.Atproto.Cids;
using RecordKv.Atproto.Mst;
using RecordKv.Testing;

namespace RecordKv.Atproto.Tests.Mst;

public sealed class MstCommitProofTests
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var fixture in LoadFixtures())
        {
            data.Add(fixture.GetProperty("comment").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Build_FixtureKeys_GivesRootBeforeCommit(string comment)
    {
        var fixture = Fixture(comment);

        var before = BuildBefore(fixture);

        before.RootCid.ToString().ShouldBe(fixture.GetProperty("rootBeforeCommit").GetString());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Apply_FixtureOperations_GivesRootAfterCommit(string comment)
    {
        var fixture = Fixture(comment);

        var after = ApplyCommit(BuildBefore(fixture), Operations(fixture));

        after.RootCid.ToString().ShouldBe(fixture.GetProperty("rootAfterCommit").GetString());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ForCommit_FixtureCommit_EqualsBlocksInProof(string comment)
    {
        var fixture = Fixture(comment);
        var operations = Operations(fixture);
        var after = ApplyCommit(BuildBefore(fixture), operations);

        var proof = MstProof.ForCommit(after, operations);

        var expected = fixture.GetProperty("blocksInProof").EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal);
        proof.Cids.Select(c => c.ToString()).Order(StringComparer.Ordinal).ShouldBe(expected);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Invert_OnlyProofBlocks_GivesRootBeforeCommit(string comment)
    {
        var fixture = Fixture(comment);
        var operations = Operations(fixture);
        var after = ApplyCommit(BuildBefore(fixture), operations);
        var all = new BlockMap();
        after.WriteBlocks(all);
        var proof = new BlockMap();
        foreach (var text in fixture.GetProperty("blocksInProof").EnumerateArray())
        {
            var cid = Cid.Parse(text.GetString()!);
            all.TryGet(cid, out var block).ShouldBeTrue();
            proof.Add(cid, block);
        }

        var partial = MerkleSearchTree.Load(Cid.Parse(fixture.GetProperty("rootAfterCommit").GetString()!), proof);
        var before = MstInversion.Invert(partial, operations);

        before.RootCid.ToString().ShouldBe(fixture.GetProperty("rootBeforeCommit").GetString());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Invert_ProofWithoutOneBlock_GivesRootBeforeOrNamesTheMissingBlock(string comment)
    {
        var fixture = Fixture(comment);
        var operations = Operations(fixture);
        var after = ApplyCommit(BuildBefore(fixture), operations);
        var proof = MstProof.ForCommit(after, operations);
        var missingReported = 0;

        foreach (var dropped in proof.Cids.ToList())
        {
            var partial = new BlockMap();
            foreach (var (cid, block) in proof)
            {
                if (cid != dropped)
                {
                    partial.Add(cid, block);
                }
            }

            try
            {
                var before = MstInversion.Invert(MerkleSearchTree.Load(after.RootCid, partial), operations);
                before.RootCid.ToString().ShouldBe(fixture.GetProperty("rootBeforeCommit").GetString());
            }
            catch (MstMissingBlockException e)
            {
                e.Cid.ShouldBe(dropped);
                missingReported++;
            }
        }

        // The root is always needed.
        missingReported.ShouldBeGreaterThan(0);
    }

    private static MerkleSearchTree BuildBefore(JsonElement fixture)
    {
        var value = Cid.Parse(fixture.GetProperty("leafValue").GetString()!);
        var keys = fixture.GetProperty("keys").EnumerateArray().Select(k => k.GetString()!).Order(StringComparer.Ordinal);
        return MerkleSearchTree.Build(keys.Select(k => new MstLeaf(k, value)));
    }

    private static List<MstOperation> Operations(JsonElement fixture)
    {
        var value = Cid.Parse(fixture.GetProperty("leafValue").GetString()!);
        var operations = new List<MstOperation>();
        foreach (var key in fixture.GetProperty("adds").EnumerateArray())
        {
            operations.Add(MstOperation.Create(key.GetString()!, value));
        }

        foreach (var key in fixture.GetProperty("dels").EnumerateArray())
        {
            operations.Add(MstOperation.Delete(key.GetString()!, value));
        }

        return operations;
    }

    private static MerkleSearchTree ApplyCommit(MerkleSearchTree tree, IEnumerable<MstOperation> operations)
    {
        foreach (var operation in operations)
        {
            tree = tree.Apply(operation);
        }

        return tree;
    }

    private static JsonElement Fixture(string comment) =>
        LoadFixtures().Single(f => f.GetProperty("comment").GetString() == comment);

    private static List<JsonElement> LoadFixtures()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(SharedFixtures.Path("atproto-interop", "firehose", "commit-proof-fixtures.json")));
        return document.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }
}
