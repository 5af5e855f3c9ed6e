using RecordKv.Atproto.Blocks;
using RecordKv.Atproto.Cids;

namespace RecordKv.Atproto.Mst;

/// <summary>
/// The tree algorithms on nodes: lookup, insert, update, delete, split and merge. Every edit copies the nodes on its
/// path and shares the rest, and keeps the tree canonical: a key lives on the layer its hash gives it, a subtree one
/// layer down holds exactly the keys between two entries (with entry-less nodes standing in for skipped layers), and
/// the root is never an entry-less node over a single subtree. Only the nodes an edit has to look into are opened.
/// </summary>
internal static class MstEditor
{
    public static bool TryGet(MstNode root, string key, IBlockSource? source, out Cid value)
    {
        var node = root.Open(source);
        while (true)
        {
            var index = node.LowerBound(key);
            var entries = node.Entries;
            if (index < entries.Length && entries[index].Key == key)
            {
                value = entries[index].Value;
                return true;
            }

            var child = node.GetSlot(index);
            if (child is null)
            {
                value = default;
                return false;
            }

            node = child.Open(source);
        }
    }

    /// <summary>Adds a key that is not in the tree; returns the new root.</summary>
    public static MstNode Insert(MstNode root, string key, Cid value, IBlockSource? source)
    {
        root.Open(source);
        var height = MstKey.Height(key);
        if (height <= root.Layer)
        {
            return InsertAtOrBelow(root, key, value, height, source);
        }

        // The key rises above the root: split the whole tree around it and stack entry-less nodes on each half
        // until both reach the layer just under the new root.
        var (lower, upper) = Split(root, key, source);
        lower = Raise(lower, height - 1);
        upper = Raise(upper, height - 1);
        return new MstNode(height, lower, [new MstNodeEntry(key, value, upper)]);
    }

    /// <summary>Replaces the value of a key that is in the tree; returns the new root.</summary>
    public static MstNode Update(MstNode node, string key, Cid value, IBlockSource? source)
    {
        node.Open(source);
        var index = node.LowerBound(key);
        var entries = node.Entries;
        if (index < entries.Length && entries[index].Key == key)
        {
            var copy = (MstNodeEntry[])entries.Clone();
            copy[index] = copy[index] with { Value = value };
            return new MstNode(node.Layer, node.Left, copy);
        }

        var child = node.GetSlot(index) ?? throw new MstKeyException(key, "the key is not in the tree");
        return WithSlot(node, index, Update(child, key, value, source));
    }

    /// <summary>Removes a key that is in the tree; returns the new root, trimmed.</summary>
    public static MstNode Delete(MstNode root, string key, IBlockSource? source)
    {
        var node = DeleteBelow(root, key, source);
        while (node.Entries.Length == 0 && node.Left is { } only)
        {
            // A commit proof need not carry the collapsed-to child: a valid root is never a node with only a left
            // link, so a child the source cannot open is the new root as it stands.
            if (!only.IsMaterialized && (source is null || !source.TryGet(only.Cid, out _)))
            {
                return only;
            }

            node = only.Open(source);
        }

        return node.Entries.Length == 0 ? MstNode.CreateEmpty() : node;
    }

    private static MstNode InsertAtOrBelow(MstNode node, string key, Cid value, int height, IBlockSource? source)
    {
        node.Open(source);
        var index = node.LowerBound(key);
        var entries = node.Entries;
        if (index < entries.Length && entries[index].Key == key)
        {
            throw new MstKeyException(key, "the key is already in the tree");
        }

        var slot = node.GetSlot(index);
        if (height == node.Layer)
        {
            // The new entry cuts the subtree between its neighbours in two.
            var (lower, upper) = slot is null ? (null, null) : Split(slot, key, source);
            var copy = new MstNodeEntry[entries.Length + 1];
            entries.AsSpan(0, index).CopyTo(copy);
            copy[index] = new MstNodeEntry(key, value, upper);
            entries.AsSpan(index).CopyTo(copy.AsSpan(index + 1));
            var left = node.Left;
            if (index == 0)
            {
                left = lower;
            }
            else
            {
                copy[index - 1] = copy[index - 1] with { Right = lower };
            }

            return new MstNode(node.Layer, left, copy);
        }

        var child = slot ?? new MstNode(node.Layer - 1, null, []);
        return WithSlot(node, index, InsertAtOrBelow(child, key, value, height, source));
    }

    private static MstNode DeleteBelow(MstNode node, string key, IBlockSource? source)
    {
        node.Open(source);
        var index = node.LowerBound(key);
        var entries = node.Entries;
        if (index < entries.Length && entries[index].Key == key)
        {
            // The subtrees on both sides of the removed entry become one.
            var merged = Merge(node.GetSlot(index), entries[index].Right, source);
            var copy = new MstNodeEntry[entries.Length - 1];
            entries.AsSpan(0, index).CopyTo(copy);
            entries.AsSpan(index + 1).CopyTo(copy.AsSpan(index));
            var left = node.Left;
            if (index == 0)
            {
                left = merged;
            }
            else
            {
                copy[index - 1] = copy[index - 1] with { Right = merged };
            }

            return new MstNode(node.Layer, left, copy);
        }

        var child = node.GetSlot(index) ?? throw new MstKeyException(key, "the key is not in the tree");
        var updated = DeleteBelow(child, key, source);
        return WithSlot(node, index, updated.IsEmpty ? null : updated);
    }

    /// <summary>Splits a subtree around a key it does not hold into the keys below and the keys above (null when none).</summary>
    private static (MstNode? Lower, MstNode? Upper) Split(MstNode node, string key, IBlockSource? source)
    {
        node.Open(source);
        var index = node.LowerBound(key);
        var entries = node.Entries;
        if (index < entries.Length && entries[index].Key == key)
        {
            throw new MstKeyException(key, "the key is already in the tree");
        }

        var slot = node.GetSlot(index);
        var (slotLower, slotUpper) = slot is null ? (null, null) : Split(slot, key, source);

        MstNode? lower = null;
        if (index > 0)
        {
            var lowerEntries = entries.AsSpan(0, index).ToArray();
            lowerEntries[index - 1] = lowerEntries[index - 1] with { Right = slotLower };
            lower = new MstNode(node.Layer, node.Left, lowerEntries);
        }
        else if (slotLower is not null)
        {
            lower = new MstNode(node.Layer, slotLower, []);
        }

        MstNode? upper = null;
        if (index < entries.Length || slotUpper is not null)
        {
            upper = new MstNode(node.Layer, slotUpper, entries.AsSpan(index).ToArray());
        }

        return (lower, upper);
    }

    /// <summary>Joins two subtrees of the same layer where every key of <paramref name="lower"/> sorts before <paramref name="upper"/>.</summary>
    private static MstNode? Merge(MstNode? lower, MstNode? upper, IBlockSource? source)
    {
        if (lower is null)
        {
            return upper;
        }

        if (upper is null)
        {
            return lower;
        }

        lower.Open(source);
        upper.Open(source);
        var lowerEntries = lower.Entries;
        var upperEntries = upper.Entries;
        var lowerLast = lower.GetSlot(lowerEntries.Length);
        var middle = lowerLast is not null && upper.Left is not null
            ? Merge(lowerLast, upper.Left, source)
            : lowerLast ?? upper.Left;

        var entries = new MstNodeEntry[lowerEntries.Length + upperEntries.Length];
        lowerEntries.CopyTo(entries, 0);
        upperEntries.CopyTo(entries, lowerEntries.Length);
        if (lowerEntries.Length == 0)
        {
            return new MstNode(lower.Layer, middle, entries);
        }

        entries[lowerEntries.Length - 1] = entries[lowerEntries.Length - 1] with { Right = middle };
        return new MstNode(lower.Layer, lower.Left, entries);
    }

    private static MstNode? Raise(MstNode? node, int layer)
    {
        if (node is null)
        {
            return null;
        }

        while (node.Layer < layer)
        {
            node = new MstNode(node.Layer + 1, node, []);
        }

        return node;
    }

    private static MstNode WithSlot(MstNode node, int slot, MstNode? child)
    {
        if (slot == 0)
        {
            return new MstNode(node.Layer, child, node.Entries);
        }

        var copy = (MstNodeEntry[])node.Entries.Clone();
        copy[slot - 1] = copy[slot - 1] with { Right = child };
        return new MstNode(node.Layer, node.Left, copy);
    }
}
