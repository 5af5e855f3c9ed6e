using RecordKv.Atproto.Cids;

namespace RecordKv.Atproto.Mst;

/// <summary>One operation of a commit on the tree, as a sync 1.1 firehose commit lists it: the key, the new value and the previous one.</summary>
/// <param name="Action">What the operation does.</param>
/// <param name="Key">The MST key, <c>collection/rkey</c>.</param>
/// <param name="Value">The new value (record CID); null for a delete.</param>
/// <param name="Prev">The previous value; null for a create.</param>
public readonly record struct MstOperation(MstOperationAction Action, string Key, Cid? Value, Cid? Prev)
{
    /// <summary>A create of <paramref name="key"/> with <paramref name="value"/>.</summary>
    public static MstOperation Create(string key, Cid value) => new(MstOperationAction.Create, key, value, null);

    /// <summary>An update of <paramref name="key"/> from <paramref name="prev"/> to <paramref name="value"/>.</summary>
    public static MstOperation Update(string key, Cid value, Cid prev) => new(MstOperationAction.Update, key, value, prev);

    /// <summary>A delete of <paramref name="key"/>, which had <paramref name="prev"/>.</summary>
    public static MstOperation Delete(string key, Cid prev) => new(MstOperationAction.Delete, key, null, prev);
}
