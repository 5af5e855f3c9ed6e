using RecordKv.Atproto.Cids;

namespace RecordKv.Atproto.Mst;

/// <summary>
/// Sync 1.1 commit-proof inversion: undoes a commit's operations on the (partial) tree its blocks carry, giving the
/// tree as it was before the commit. A create is undone by a delete, an update by restoring <c>prev</c>, a delete by
/// re-inserting <c>prev</c>. The caller compares the result's <see cref="MerkleSearchTree.RootCid"/> with the
/// commit's <c>prevData</c>.
/// </summary>
public static class MstInversion
{
    /// <summary>Undoes <paramref name="operations"/> (last first) on <paramref name="after"/> and returns the tree before them.</summary>
    /// <exception cref="MstInversionException">An operation does not match the tree (a created key is missing or has another
    /// value, an updated key has another value, a deleted key is still there) or lacks a value it needs.</exception>
    /// <exception cref="MstMissingBlockException">The inversion needs a node the blocks do not carry.</exception>
    /// <exception cref="MstFormatException">A node carried is malformed.</exception>
    public static MerkleSearchTree Invert(MerkleSearchTree after, IReadOnlyList<MstOperation> operations)
    {
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(operations);
        var tree = after;
        for (var i = operations.Count - 1; i >= 0; i--)
        {
            tree = InvertOne(tree, i, operations[i]);
        }

        return tree;
    }

    private static MerkleSearchTree InvertOne(MerkleSearchTree tree, int index, MstOperation operation)
    {
        if (operation.Key is null || !MstKey.IsValid(operation.Key))
        {
            throw new MstInversionException(index, operation, "the key is not a valid MST key");
        }

        var present = tree.TryGet(operation.Key, out var current);
        switch (operation.Action)
        {
            case MstOperationAction.Create:
                var created = operation.Value ?? throw new MstInversionException(index, operation, "a create has no value");
                Expect(index, operation, present, current, created);
                return tree.Delete(operation.Key);

            case MstOperationAction.Update:
                var updated = operation.Value ?? throw new MstInversionException(index, operation, "an update has no value");
                var previous = operation.Prev ?? throw new MstInversionException(index, operation, "an update has no prev");
                Expect(index, operation, present, current, updated);
                return tree.Update(operation.Key, previous);

            case MstOperationAction.Delete:
                var deleted = operation.Prev ?? throw new MstInversionException(index, operation, "a delete has no prev");
                if (present)
                {
                    throw new MstInversionException(index, operation, $"the deleted key is still in the tree (value {current})");
                }

                return tree.Add(operation.Key, deleted);

            default:
                throw new MstInversionException(index, operation, "unknown action");
        }
    }

    private static void Expect(int index, MstOperation operation, bool present, Cid current, Cid expected)
    {
        if (!present)
        {
            throw new MstInversionException(index, operation, "the key is not in the tree");
        }

        if (current != expected)
        {
            throw new MstInversionException(index, operation, $"the tree holds {current}, the operation says {expected}");
        }
    }
}
