namespace RecordKv.Atproto.Mst;

/// <summary>How a key differs between two trees.</summary>
public enum MstChangeKind
{
    /// <summary>Only the new tree has the key.</summary>
    Create,

    /// <summary>Both trees have the key, with different values.</summary>
    Update,

    /// <summary>Only the old tree has the key.</summary>
    Delete,
}
