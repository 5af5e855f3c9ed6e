namespace RecordKv.Nats.JetStream;

/// <summary>Header names JetStream reads and writes.</summary>
public static class JetStreamHeaders
{
    /// <summary>Deduplication id of a publish.</summary>
    public const string MsgId = "Nats-Msg-Id";

    /// <summary>The stream a publish must land in.</summary>
    public const string ExpectedStream = "Nats-Expected-Stream";

    /// <summary>The stream's expected last sequence.</summary>
    public const string ExpectedLastSequence = "Nats-Expected-Last-Sequence";

    /// <summary>The subject's expected last sequence.</summary>
    public const string ExpectedLastSubjectSequence = "Nats-Expected-Last-Subject-Sequence";

    /// <summary>The stream's expected last message id.</summary>
    public const string ExpectedLastMsgId = "Nats-Expected-Last-Msg-Id";

    /// <summary>Purges the subject (<c>sub</c>) or stream (<c>all</c>) below this message.</summary>
    public const string Rollup = "Nats-Rollup";

    /// <summary>The stream of a direct-get answer.</summary>
    public const string Stream = "Nats-Stream";

    /// <summary>The subject of a direct-get answer.</summary>
    public const string Subject = "Nats-Subject";

    /// <summary>The sequence of a direct-get answer.</summary>
    public const string Sequence = "Nats-Sequence";

    /// <summary>The RFC 3339 timestamp of a direct-get answer.</summary>
    public const string TimeStamp = "Nats-Time-Stamp";

    /// <summary>Messages still owed to an expired pull request.</summary>
    public const string PendingMessages = "Nats-Pending-Messages";

    /// <summary>Bytes still owed to an expired pull request.</summary>
    public const string PendingBytes = "Nats-Pending-Bytes";

    /// <summary>The last consumer sequence, on push heartbeats.</summary>
    public const string LastConsumer = "Nats-Last-Consumer";
}
