using RecordKv.Atproto.Cids;

namespace RecordKv.Atproto.Mst;

/// <summary>One key that differs between an old and a new tree.</summary>
/// <param name="Key">The key.</param>
/// <param name="Before">The value in the old tree; null when the key is created.</param>
/// <param name="After">The value in the new tree; null when the key is deleted.</param>
public readonly record struct MstChange(string Key, Cid? Before, Cid? After)
{
    /// <summary>Whether the key is created, updated or deleted.</summary>
    public MstChangeKind Kind => Before is null ? MstChangeKind.Create : After is null ? MstChangeKind.Delete : MstChangeKind.Update;
}
