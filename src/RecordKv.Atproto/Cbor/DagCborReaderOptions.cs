namespace RecordKv.Atproto.Cbor;

/// <summary>Limits a <see cref="DagCborReader"/> enforces on top of the DAG-CBOR rules.</summary>
public sealed record DagCborReaderOptions
{
    /// <summary>The deepest nesting the reader can track; its container stack is inline, without allocation.</summary>
    public const int MaxSupportedDepth = 64;

    /// <summary>The options used when none are given.</summary>
    public static DagCborReaderOptions Default { get; } = new();

    /// <summary>
    /// The maximum number of nested arrays and maps (default 64, at most <see cref="MaxSupportedDepth"/>).
    /// atproto recommends records nest at most 32 levels (indigo's MAX_CBOR_NESTED_LEVELS); the default leaves headroom for envelopes.
    /// </summary>
    public int MaxDepth
    {
        get;
        init => field = value is >= 1 and <= MaxSupportedDepth
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxDepth), value, $"MaxDepth must be between 1 and {MaxSupportedDepth}.");
    } = MaxSupportedDepth;

    /// <summary>The maximum number of items in one array or entries in one map (default 131072, indigo's MAX_CBOR_CONTAINER_LEN).</summary>
    public int MaxContainerLength
    {
        get;
        init => field = value >= 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxContainerLength), value, "MaxContainerLength must not be negative.");
    } = 128 * 1024;
}
