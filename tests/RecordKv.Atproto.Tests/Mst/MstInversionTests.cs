using RecordKv.Atproto.Blocks;
using RecordKv.Atproto.Mst;

namespace RecordKv.Atproto.Tests.Mst;

public sealed class MstInversionTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Invert_RandomCommitsWithTheirProof_GivesThePreviousRoot(int seed)
    {
        var random = new Random(seed);
        var keys = MstTestData.Keys(600, seed);
        var tree = MstTestData.Build(keys.Take(500));
        var present = keys.Take(500).ToList();
        var absent = keys.Skip(500).ToList();

        for (var commit = 0; commit < 40; commit++)
        {
            var operations = new List<MstOperation>();
            var touched = new HashSet<string>(StringComparer.Ordinal);
            var after = tree;
            for (var n = random.Next(1, 5); n > 0; n--)
            {
                switch (random.Next(3))
                {
                    case 0 when absent.Count > 0:
                        var created = absent[random.Next(absent.Count)];
                        if (!touched.Add(created))
                        {
                            continue;
                        }

                        absent.Remove(created);
                        present.Add(created);
                        operations.Add(MstOperation.Create(created, MstTestData.Value(random.Next())));
                        break;
                    case 1:
                        var updated = present[random.Next(present.Count)];
                        if (!touched.Add(updated))
                        {
                            continue;
                        }

                        operations.Add(MstOperation.Update(updated, MstTestData.Value(random.Next()), after.Get(updated)!.Value));
                        break;
                    default:
                        var deleted = present[random.Next(present.Count)];
                        if (!touched.Add(deleted))
                        {
                            continue;
                        }

                        present.Remove(deleted);
                        absent.Add(deleted);
                        operations.Add(MstOperation.Delete(deleted, after.Get(deleted)!.Value));
                        break;
                }

                after = after.Apply(operations[^1]);
            }

            var proof = MstProof.ForCommit(after, operations);
            var before = MstInversion.Invert(MerkleSearchTree.Load(after.RootCid, proof), operations);

            before.RootCid.ShouldBe(tree.RootCid);
            tree = after;
        }
    }

    [Fact]
    public void Invert_CreateWhoseKeyHoldsAnotherValue_ThrowsInversionError()
    {
        var keys = MstTestData.Keys(50, 20);
        var tree = MstTestData.Build(keys);

        var error = Should.Throw<MstInversionException>(() => MstInversion.Invert(tree, [MstOperation.Create(keys[3], MstTestData.Value(-5))]));

        error.OperationIndex.ShouldBe(0);
        error.Operation.Key.ShouldBe(keys[3]);
    }

    [Fact]
    public void Invert_OperationsThatDoNotFitTheTree_ThrowInversionErrors()
    {
        var keys = MstTestData.Keys(60, 21);
        var tree = MstTestData.Build(keys.Take(50));
        var value = MstTestData.ValueFor(keys[1]);

        Should.Throw<MstInversionException>(() => MstInversion.Invert(tree, [MstOperation.Create(keys[55], value)]));
        Should.Throw<MstInversionException>(() => MstInversion.Invert(tree, [MstOperation.Update(keys[1], MstTestData.Value(-1), value)]));
        Should.Throw<MstInversionException>(() => MstInversion.Invert(tree, [MstOperation.Update(keys[55], value, value)]));
        Should.Throw<MstInversionException>(() => MstInversion.Invert(tree, [MstOperation.Delete(keys[1], value)]));
        Should.Throw<MstInversionException>(() => MstInversion.Invert(tree, [new MstOperation(MstOperationAction.Delete, keys[55], null, null)]));
        Should.Throw<MstInversionException>(() => MstInversion.Invert(tree, [MstOperation.Delete("bad key", value)]));
    }

    [Fact]
    public void Invert_NoOperations_ReturnsTheSameRootWithoutReadingBlocks()
    {
        var root = MstTestData.Build(MstTestData.Keys(10, 22)).RootCid;

        MstInversion.Invert(MerkleSearchTree.Load(root, new BlockMap()), []).RootCid.ShouldBe(root);
    }
}
