namespace RecordKv.Builder;

/// <summary>The result of one backfill job: how it ended, the records it put and deleted, and why it failed.</summary>
internal readonly record struct BackfillJobResult(BackfillOutcome Outcome, int Written, int Deleted, string? Error = null);
