namespace RecordKv.Cli.Repositories;

/// <summary>What <c>recordkv repo inspect</c> prints about a repository export.</summary>
internal sealed record RepositoryReport(
    string Did,
    string? Rev,
    int Version,
    string Commit,
    string Data,
    int Records,
    int Blocks,
    int UnreachableBlocks,
    SignatureStatus Signature);
