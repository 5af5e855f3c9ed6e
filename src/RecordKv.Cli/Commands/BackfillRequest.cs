namespace RecordKv.Cli.Commands;

/// <summary>What one <c>recordkv backfill</c> command line asks for.</summary>
internal sealed record BackfillRequest(Uri Host, IReadOnlyList<string> Collections, FileInfo? DidFile, bool NoWait, bool Restart, int PageSize, TimeSpan Interval);
