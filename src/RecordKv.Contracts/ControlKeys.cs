namespace RecordKv.Contracts;

/// <summary>The keys of the control bucket.</summary>
public static class ControlKeys
{
    /// <summary>The store's configuration, including its partition count.</summary>
    public const string Config = "config";

    /// <summary>The ingester's singleton lease.</summary>
    public const string IngestLease = "ingest.lease";

    /// <summary>The gap-free cursor saved for one firehose source.</summary>
    public static string IngestCursor(string source) => $"ingest.cursor.{KeyTokenEscaping.Escape(source)}";

    /// <summary>The lease on one partition held by a builder.</summary>
    public static string BuilderLease(int partition) => $"builder.lease.{partition}";

    /// <summary>The liveness entry of one builder instance.</summary>
    public static string BuilderMember(string instanceId) => $"builder.member.{KeyTokenEscaping.Escape(instanceId)}";
}
