using RecordKv.Atproto.Cids;

namespace RecordKv.Atproto.Mst;

/// <summary>Builds the canonical tree of a sorted key set in one pass per layer, without repeated inserts.</summary>
internal static class MstBuilder
{
    public static MstNode Build(string[] keys, Cid[] values)
    {
        if (keys.Length == 0)
        {
            return MstNode.CreateEmpty();
        }

        var heights = new int[keys.Length];
        var top = 0;
        for (var i = 0; i < keys.Length; i++)
        {
            MstKey.Validate(keys[i]);
            if (i > 0 && string.CompareOrdinal(keys[i - 1], keys[i]) >= 0)
            {
                throw new MstKeyException(keys[i], $"keys must be sorted and unique; it follows '{keys[i - 1]}'");
            }

            heights[i] = MstKey.Height(keys[i]);
            top = Math.Max(top, heights[i]);
        }

        return BuildRange(keys, values, heights, 0, keys.Length, top)!;
    }

    // Builds the node of layer `layer` holding keys [start, end); every key there has a height of at most `layer`.
    private static MstNode? BuildRange(string[] keys, Cid[] values, int[] heights, int start, int end, int layer)
    {
        if (start == end)
        {
            return null;
        }

        var count = 0;
        for (var i = start; i < end; i++)
        {
            if (heights[i] == layer)
            {
                count++;
            }
        }

        var entries = count == 0 ? [] : new MstNodeEntry[count];
        MstNode? left = null;
        var segmentStart = start;
        var entry = -1;
        for (var i = start; i <= end; i++)
        {
            if (i < end && heights[i] != layer)
            {
                continue;
            }

            var subtree = BuildRange(keys, values, heights, segmentStart, i, layer - 1);
            if (entry < 0)
            {
                left = subtree;
            }
            else
            {
                entries[entry] = entries[entry] with { Right = subtree };
            }

            if (i < end)
            {
                entry++;
                entries[entry] = new MstNodeEntry(keys[i], values[i], null);
                segmentStart = i + 1;
            }
        }

        return new MstNode(layer, left, entries);
    }
}
