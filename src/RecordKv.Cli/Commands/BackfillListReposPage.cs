namespace RecordKv.Cli.Commands;

/// <summary>One page of <c>com.atproto.sync.listRepos</c>: its repositories and the cursor of the next page (null at the end).</summary>
internal sealed record BackfillListReposPage(IReadOnlyList<BackfillListedRepo> Repos, string? Cursor);
