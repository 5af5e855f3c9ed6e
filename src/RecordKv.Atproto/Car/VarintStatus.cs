namespace RecordKv.Atproto.Car;

/// <summary>The outcome of reading a varint.</summary>
internal enum VarintStatus
{
    /// <summary>A complete, minimal varint was read.</summary>
    Done,

    /// <summary>The input ends inside the varint.</summary>
    NeedMoreData,

    /// <summary>The varint is longer than 9 bytes.</summary>
    TooLong,

    /// <summary>The varint has a redundant trailing zero group.</summary>
    NotMinimal,
}
