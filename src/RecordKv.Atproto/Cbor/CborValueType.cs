namespace RecordKv.Atproto.Cbor;

/// <summary>The kinds of value the atproto data model allows in DAG-CBOR.</summary>
public enum CborValueType
{
    /// <summary>An integer of major type 0 (zero or positive).</summary>
    UnsignedInteger,

    /// <summary>An integer of major type 1 (negative).</summary>
    NegativeInteger,

    /// <summary>A byte string.</summary>
    ByteString,

    /// <summary>A UTF-8 text string.</summary>
    TextString,

    /// <summary>An array of values.</summary>
    Array,

    /// <summary>A map with text keys.</summary>
    Map,

    /// <summary>A CID link (tag 42).</summary>
    Link,

    /// <summary>true or false.</summary>
    Boolean,

    /// <summary>null.</summary>
    Null,
}
