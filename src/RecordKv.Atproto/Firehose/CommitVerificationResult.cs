using RecordKv.Atproto.Cids;
using RecordKv.Atproto.Repo;

namespace RecordKv.Atproto.Firehose;

/// <summary>The outcome of verifying a <c>#commit</c> event: valid with its record writes, or the first check that failed.</summary>
public sealed class CommitVerificationResult
{
    private CommitVerificationResult(CommitCheck failedCheck, string? message, Commit? commit, Cid? previousData, IReadOnlyList<RecordWrite> writes)
    {
        FailedCheck = failedCheck;
        Message = message;
        Commit = commit;
        PreviousData = previousData;
        Writes = writes;
    }

    /// <summary>Whether every check passed.</summary>
    public bool IsValid => FailedCheck == CommitCheck.None;

    /// <summary>The first check that failed, or <see cref="CommitCheck.None"/>.</summary>
    public CommitCheck FailedCheck { get; }

    /// <summary>What was wrong, naming the field, block or operation; <c>null</c> when valid.</summary>
    public string? Message { get; }

    /// <summary>
    /// Whether the commit itself is authentic but does not follow the stored state: the repository is
    /// desynchronized and needs a resync, rather than the event being invalid.
    /// </summary>
    public bool IsChainBroken => FailedCheck == CommitCheck.PrevData;

    /// <summary>Whether the event is older than (or the same as) the stored revision and should be ignored.</summary>
    public bool IsStale => FailedCheck == CommitCheck.RevOrder;

    /// <summary>The decoded commit, when verification got that far.</summary>
    public Commit? Commit { get; }

    /// <summary>The MST root before this commit, computed by inverting the operations, when verification got that far.</summary>
    public Cid? PreviousData { get; }

    /// <summary>The verified record changes, in the event's order (complete when valid or chain-broken, else empty).</summary>
    public IReadOnlyList<RecordWrite> Writes { get; }

    internal static CommitVerificationResult Valid(Commit commit, Cid previousData, IReadOnlyList<RecordWrite> writes) =>
        new(CommitCheck.None, null, commit, previousData, writes);

    internal static CommitVerificationResult ChainBroken(Commit commit, Cid previousData, IReadOnlyList<RecordWrite> writes, string message) =>
        new(CommitCheck.PrevData, message, commit, previousData, writes);

    internal static CommitVerificationResult Failed(CommitCheck check, string message, Commit? commit = null) =>
        new(check, message, commit, null, []);

    /// <summary>The failed check and message, or "valid".</summary>
    public override string ToString() => IsValid ? "valid" : $"{FailedCheck}: {Message}";
}
