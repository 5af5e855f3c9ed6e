namespace RecordKv.Atproto.Mst;

/// <summary>What a commit operation does to a key.</summary>
public enum MstOperationAction
{
    /// <summary>The key did not exist and now has a value.</summary>
    Create,

    /// <summary>The key existed and now has another value.</summary>
    Update,

    /// <summary>The key existed and is gone.</summary>
    Delete,
}
