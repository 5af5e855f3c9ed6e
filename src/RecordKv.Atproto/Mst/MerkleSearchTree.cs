using RecordKv.Atproto.Blocks;
using RecordKv.Atproto.Cids;

namespace RecordKv.Atproto.Mst;

/// <summary>
/// An atproto Merkle search tree (fanout 4): an immutable, persistent map from <c>collection/rkey</c> keys to record
/// CIDs whose root CID depends only on its content. Edits return a new tree sharing untouched nodes. A tree loaded
/// from blocks opens nodes lazily, so a partial tree (a commit's blocks) works as long as an operation only needs the
/// nodes present; otherwise it throws <see cref="MstMissingBlockException"/> naming the missing node.
/// </summary>
/// <remarks>Reading a tree fills caches in its nodes: do not use one instance from several threads at once.</remarks>
public sealed class MerkleSearchTree
{
    private readonly MstNode _root;
    private readonly IBlockSource? _source;

    private MerkleSearchTree(MstNode root, IBlockSource? source)
    {
        _root = root;
        _source = source;
    }

    /// <summary>The tree without keys.</summary>
    public static MerkleSearchTree Empty { get; } = new(MstNode.CreateEmpty(), null);

    /// <summary>The CID of the root node: what a commit's <c>data</c> field names.</summary>
    public Cid RootCid => _root.Cid;

    /// <summary>The block source nodes are read from (null for a tree built in memory).</summary>
    public IBlockSource? Source => _source;

    internal MstNode Root => _root;

    /// <summary>A tree whose nodes are read from <paramref name="blocks"/> when first needed; nothing is read yet.</summary>
    public static MerkleSearchTree Load(Cid root, IBlockSource blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        return new MerkleSearchTree(MstNode.CreateStub(root, -1), blocks);
    }

    /// <summary>Builds the tree of a key set given in strictly increasing key order (ordinal).</summary>
    /// <exception cref="MstKeyException">A key is invalid, out of order or repeated.</exception>
    public static MerkleSearchTree Build(IEnumerable<MstLeaf> sortedLeaves)
    {
        ArgumentNullException.ThrowIfNull(sortedLeaves);
        var keys = new List<string>();
        var values = new List<Cid>();
        foreach (var leaf in sortedLeaves)
        {
            keys.Add(leaf.Key);
            values.Add(leaf.Value);
        }

        return new MerkleSearchTree(MstBuilder.Build([.. keys], [.. values]), null);
    }

    /// <summary>Finds the value of <paramref name="key"/>.</summary>
    public bool TryGet(string key, out Cid value)
    {
        ArgumentNullException.ThrowIfNull(key);
        return MstEditor.TryGet(_root, key, _source, out value);
    }

    /// <summary>The value of <paramref name="key"/>, or null when the tree does not hold it.</summary>
    public Cid? Get(string key) => TryGet(key, out var value) ? value : null;

    /// <summary>Adds a key that is not in the tree.</summary>
    /// <exception cref="MstKeyException">The key is invalid or already present.</exception>
    public MerkleSearchTree Add(string key, Cid value)
    {
        MstKey.Validate(key);
        return new MerkleSearchTree(MstEditor.Insert(_root, key, value, _source), _source);
    }

    /// <summary>Changes the value of a key that is in the tree.</summary>
    /// <exception cref="MstKeyException">The key is not present.</exception>
    public MerkleSearchTree Update(string key, Cid value)
    {
        MstKey.Validate(key);
        return new MerkleSearchTree(MstEditor.Update(_root, key, value, _source), _source);
    }

    /// <summary>Sets a key to a value, adding it or replacing its value.</summary>
    public MerkleSearchTree Put(string key, Cid value)
    {
        MstKey.Validate(key);
        if (!TryGet(key, out var existing))
        {
            return new MerkleSearchTree(MstEditor.Insert(_root, key, value, _source), _source);
        }

        return existing == value ? this : new MerkleSearchTree(MstEditor.Update(_root, key, value, _source), _source);
    }

    /// <summary>Removes a key that is in the tree.</summary>
    /// <exception cref="MstKeyException">The key is not present.</exception>
    public MerkleSearchTree Delete(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new MerkleSearchTree(MstEditor.Delete(_root, key, _source), _source);
    }

    /// <summary>Applies one commit operation forwards (create, update or delete), checking it fits the tree.</summary>
    public MerkleSearchTree Apply(MstOperation operation) => operation.Action switch
    {
        MstOperationAction.Create => Add(operation.Key, operation.Value ?? throw new ArgumentException("A create needs a value.", nameof(operation))),
        MstOperationAction.Update => Update(operation.Key, operation.Value ?? throw new ArgumentException("An update needs a value.", nameof(operation))),
        MstOperationAction.Delete => Delete(operation.Key),
        _ => throw new ArgumentOutOfRangeException(nameof(operation)),
    };

    /// <summary>Every key in order.</summary>
    public IEnumerable<MstLeaf> Walk() => WalkFrom(null, null);

    /// <summary>The keys from <paramref name="startKey"/> (inclusive) on, in order.</summary>
    public IEnumerable<MstLeaf> WalkFrom(string startKey)
    {
        ArgumentNullException.ThrowIfNull(startKey);
        return WalkFrom(startKey, null);
    }

    /// <summary>The keys starting with <paramref name="prefix"/> in order, e.g. <c>app.bsky.feed.like/</c> for one collection.</summary>
    public IEnumerable<MstLeaf> WalkPrefix(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return WalkFrom(prefix, prefix);
    }

    /// <summary>Copies the blocks of every node held in memory (built, edited or already read) into <paramref name="target"/>.</summary>
    /// <remarks>Nodes the tree only knows by CID are not read: they are in <see cref="Source"/> already. For a
    /// tree built or fully edited in memory this writes the whole tree.</remarks>
    /// <returns>The number of blocks added that <paramref name="target"/> did not hold.</returns>
    public int WriteBlocks(BlockMap target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var added = 0;
        var pending = new Stack<MstNode>();
        pending.Push(_root);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            if (!node.IsMaterialized)
            {
                continue;
            }

            var cid = node.Cid;
            if (target.Contains(cid))
            {
                // Same CID, same content: its subtree was written with it.
                continue;
            }

            target.Add(cid, node.GetBlock());
            added++;
            if (node.Left is { } left)
            {
                pending.Push(left);
            }

            foreach (var entry in node.Entries)
            {
                if (entry.Right is { } right)
                {
                    pending.Push(right);
                }
            }
        }

        return added;
    }

    /// <summary>Reads every node from the source, so that the whole tree is checked and held in memory.</summary>
    /// <returns>The number of nodes.</returns>
    public int LoadAll()
    {
        var count = 0;
        var pending = new Stack<MstNode>();
        pending.Push(_root);
        while (pending.Count > 0)
        {
            var node = pending.Pop().Open(_source);
            count++;
            if (node.Left is { } left)
            {
                pending.Push(left);
            }

            foreach (var entry in node.Entries)
            {
                if (entry.Right is { } right)
                {
                    pending.Push(right);
                }
            }
        }

        // The walk checks that the keys of all nodes together are in order.
        using var leaves = Walk().GetEnumerator();
        while (leaves.MoveNext())
        {
        }

        return count;
    }

    private IEnumerable<MstLeaf> WalkFrom(string? startKey, string? prefix)
    {
        var stack = new Stack<(MstNode Node, int Position)>();
        Descend(stack, _root, startKey);
        string? previous = null;
        while (stack.Count > 0)
        {
            var (node, position) = stack.Pop();
            var entries = node.Entries;
            if (position > 2 * entries.Length)
            {
                continue;
            }

            stack.Push((node, position + 1));
            if ((position & 1) == 0)
            {
                if (node.GetSlot(position / 2) is { } child)
                {
                    stack.Push((child.Open(_source), 0));
                }

                continue;
            }

            var entry = entries[position / 2];
            if (previous is not null && string.CompareOrdinal(previous, entry.Key) >= 0)
            {
                throw new MstFormatException(node.Cid, $"key '{entry.Key}' comes after '{previous}' in the tree's order");
            }

            if (prefix is not null && !entry.Key.StartsWith(prefix, StringComparison.Ordinal))
            {
                yield break;
            }

            previous = entry.Key;
            yield return new MstLeaf(entry.Key, entry.Value);
        }
    }

    // Pushes the frames that resume a walk at the first key >= startKey: in each node on the way down, the entries
    // from the lower bound on, and below them the subtree just before it (which may hold keys >= startKey).
    private void Descend(Stack<(MstNode Node, int Position)> stack, MstNode node, string? startKey)
    {
        node = node.Open(_source);
        if (startKey is null)
        {
            stack.Push((node, 0));
            return;
        }

        while (true)
        {
            var index = node.LowerBound(startKey);
            var entries = node.Entries;
            if (index < entries.Length && entries[index].Key == startKey)
            {
                stack.Push((node, (2 * index) + 1));
                return;
            }

            stack.Push((node, (2 * index) + 1));
            if (node.GetSlot(index) is not { } child)
            {
                return;
            }

            node = child.Open(_source);
        }
    }
}
