namespace RecordKv.Atproto.Mst;

/// <summary>A key is not a valid MST key, or an edit does not fit the tree (adding a key that exists, deleting one that does not).</summary>
public sealed class MstKeyException : MstException
{
    /// <summary>Creates the exception for <paramref name="key"/>.</summary>
    public MstKeyException(string key, string message)
        : base($"MST key '{key}': {message}")
    {
        Key = key;
    }

    /// <summary>The key in question.</summary>
    public string Key { get; }
}
