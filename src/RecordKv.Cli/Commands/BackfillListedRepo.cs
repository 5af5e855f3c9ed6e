namespace RecordKv.Cli.Commands;

/// <summary>One repository of a listRepos page: its DID and whether (and how) the host reports it active.</summary>
internal readonly record struct BackfillListedRepo(string Did, bool Active, string? Status);
