namespace RecordKv.Atproto.Cbor;

/// <summary>Whole-block DAG-CBOR checks.</summary>
public static class DagCbor
{
    /// <summary>Throws <see cref="CborFormatException"/> unless <paramref name="block"/> is exactly one strict DAG-CBOR value.</summary>
    public static void Validate(ReadOnlySpan<byte> block) => Validate(block, DagCborReaderOptions.Default);

    /// <summary>Throws <see cref="CborFormatException"/> unless <paramref name="block"/> is exactly one strict DAG-CBOR value within <paramref name="options"/>.</summary>
    public static void Validate(ReadOnlySpan<byte> block, DagCborReaderOptions? options)
    {
        var reader = new DagCborReader(block, options);
        reader.SkipValue();
        if (!reader.IsAtEnd)
        {
            CborThrow.TrailingBytes(reader.BytesConsumed, block.Length - reader.BytesConsumed);
        }
    }
}
