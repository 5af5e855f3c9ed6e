namespace RecordKv.Atproto.Cbor;

/// <summary>One open array or map in a <see cref="DagCborReader"/>: items left and, for a map, where its previous key is.</summary>
internal struct ContainerFrame
{
    /// <summary><see cref="KeyStart"/> of an array, which has no keys.</summary>
    public const int ArrayMarker = -2;

    /// <summary><see cref="KeyStart"/> of a map whose first key has not been read.</summary>
    public const int NoKeyYet = -1;

    /// <summary>Items left to read; a map counts keys and values separately, so a key comes when this is even.</summary>
    public int Remaining;

    /// <summary>Offset in the input of the previous key's UTF-8 bytes, or a marker.</summary>
    public int KeyStart;

    /// <summary>Length of the previous key's UTF-8 bytes.</summary>
    public int KeyLength;
}
