namespace RecordKv.Contracts;

/// <summary>The message headers RecordKv writes on stream messages and bucket values.</summary>
public static class AtprotoHeaders
{
    /// <summary>The record's CID, on <c>record</c> values.</summary>
    public const string Cid = "Atproto-Cid";

    /// <summary>The repository revision that wrote the value.</summary>
    public const string Rev = "Atproto-Rev";

    /// <summary>The firehose sequence number of a frame.</summary>
    public const string Seq = "Atproto-Seq";

    /// <summary>The DID a frame is about.</summary>
    public const string Did = "Atproto-Did";

    /// <summary>The frame's event type without '#': <c>commit</c>, <c>sync</c>, <c>identity</c>, <c>account</c>.</summary>
    public const string Event = "Atproto-Event";
}
