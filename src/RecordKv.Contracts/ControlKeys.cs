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

    /// <summary>The state of the backfill of one host (its run id, listRepos cursor and counts), written by <c>recordkv backfill</c>.</summary>
    public static string BackfillRun(string host) => $"backfill.run.{KeyTokenEscaping.Escape(host)}";

    /// <summary>The progress one builder instance reports for one backfill run (jobs done, records, errors).</summary>
    public static string BackfillProgress(string runId, string instanceId) => $"backfill.progress.{KeyTokenEscaping.Escape(runId)}.{KeyTokenEscaping.Escape(instanceId)}";

    /// <summary>The filter matching every builder's progress of one backfill run.</summary>
    public static string BackfillProgressFilter(string runId) => $"backfill.progress.{KeyTokenEscaping.Escape(runId)}.*";
}
