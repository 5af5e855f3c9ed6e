namespace RecordKv.Cli.Status;

/// <summary>The newest event a relay sends to a subscriber without a cursor: its seq and (for commits and syncs) its time.</summary>
internal readonly record struct RelayHead(long Seq, DateTimeOffset? Time);
