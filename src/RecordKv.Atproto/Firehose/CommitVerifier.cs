using RecordKv.Atproto.Blocks;
using RecordKv.Atproto.Car;
using RecordKv.Atproto.Cids;
using RecordKv.Atproto.Crypto;
using RecordKv.Atproto.Mst;
using RecordKv.Atproto.Repo;
using RecordKv.Atproto.Syntax;

namespace RecordKv.Atproto.Firehose;

/// <summary>
/// Verifies <c>#commit</c> events with the atproto sync 1.1 checklist: limits, CAR slice, commit fields,
/// signature, operation inversion on the partial MST against <c>prevData</c>, and the chain to the stored state.
/// Expected failures come back as a <see cref="CommitVerificationResult"/>, never as exceptions.
/// </summary>
public sealed class CommitVerifier
{
    private readonly FirehoseLimits _limits;
    private readonly TimeProvider _time;

    /// <summary>Creates a verifier with the given limits (the spec's by default) and clock (the system's by default).</summary>
    public CommitVerifier(FirehoseLimits? limits = null, TimeProvider? timeProvider = null)
    {
        _limits = limits ?? FirehoseLimits.Default;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Runs every check, including the signature with the account's current <paramref name="signingKey"/>.</summary>
    /// <param name="commit">The decoded event.</param>
    /// <param name="signingKey">The signing key from the account's DID document.</param>
    /// <param name="stored">What is stored for the repository, or <c>null</c> when nothing is.</param>
    public CommitVerificationResult Verify(CommitEvent commit, AtprotoPublicKey signingKey, RepoChainState? stored = null)
    {
        ArgumentNullException.ThrowIfNull(signingKey);
        return VerifyCore(commit, signingKey, stored);
    }

    /// <summary>Runs every check except the signature; for callers that verify it elsewhere or have no key (test data).</summary>
    public CommitVerificationResult VerifyWithoutSignature(CommitEvent commit, RepoChainState? stored = null) =>
        VerifyCore(commit, null, stored);

    private CommitVerificationResult VerifyCore(CommitEvent commitEvent, AtprotoPublicKey? signingKey, RepoChainState? stored)
    {
        ArgumentNullException.ThrowIfNull(commitEvent);
        if (commitEvent.Blocks.Length > _limits.MaxBlocksBytes)
        {
            return Fail(CommitCheck.Limits, $"blocks of {commitEvent.Blocks.Length} bytes exceed the limit of {_limits.MaxBlocksBytes} bytes");
        }

        if (commitEvent.Ops.Count > _limits.MaxOperations)
        {
            return Fail(CommitCheck.Limits, $"{commitEvent.Ops.Count} ops exceed the limit of {_limits.MaxOperations}");
        }

        var failure = CheckSignedCommit(commitEvent.Blocks, commitEvent.Commit, commitEvent.Repo, commitEvent.Rev, signingKey, stored, out var blocks, out var commit);
        if (failure is not null)
        {
            return failure;
        }

        var operations = new MstOperation[commitEvent.Ops.Count];
        var writes = new RecordWrite[commitEvent.Ops.Count];
        for (var i = 0; i < operations.Length; i++)
        {
            var op = commitEvent.Ops[i];
            if (!TryConvert(op, i, out operations[i], out var failedCheck, out var error))
            {
                return Fail(failedCheck, error, commit);
            }

            for (var j = 0; j < i; j++)
            {
                if (string.Equals(commitEvent.Ops[j].Path, op.Path, StringComparison.Ordinal))
                {
                    return Fail(CommitCheck.Operations, $"op {i} repeats the path '{op.Path}' of op {j}", commit);
                }
            }

            var slash = op.Path.IndexOf('/', StringComparison.Ordinal);
            var record = ReadOnlyMemory<byte>.Empty;
            if (op.Cid is { } recordCid)
            {
                if (!blocks.TryGet(recordCid, out record))
                {
                    return Fail(CommitCheck.RecordBlocks, $"op {i} ({op.Action} {op.Path}): record block {recordCid} is not in the CAR slice", commit);
                }

                if (record.Length > _limits.MaxRecordBytes)
                {
                    return Fail(CommitCheck.Limits, $"op {i} ({op.Path}): record of {record.Length} bytes exceeds the limit of {_limits.MaxRecordBytes} bytes", commit);
                }
            }

            writes[i] = new RecordWrite(op.Path[..slash], op.Path[(slash + 1)..], op.Action, op.Cid, record);
        }

        Cid previousData;
        try
        {
            var after = MerkleSearchTree.Load(commit.Data, blocks);
            previousData = MstInversion.Invert(after, operations).RootCid;
        }
        catch (MstException exception)
        {
            return Fail(CommitCheck.Inversion, $"inverting the ops on the partial MST failed: {exception.Message}", commit);
        }

        if (commitEvent.PrevData is { } prevData && prevData != previousData)
        {
            return Fail(CommitCheck.Inversion, $"inverted MST root {previousData} differs from prevData {prevData}", commit);
        }

        if (stored is { } state && state.Data != previousData)
        {
            return CommitVerificationResult.ChainBroken(
                commit,
                previousData,
                writes,
                $"prevData {previousData} differs from the stored data {state.Data} (stored rev {state.Rev}, event since {commitEvent.Since ?? "null"})");
        }

        return CommitVerificationResult.Valid(commit, previousData, writes);
    }

    /// <summary>
    /// Verifies a <c>#sync</c> event: CAR slice, commit block as root, <c>did</c>/<c>rev</c>/version against the event,
    /// revision order and the signature. A valid result carries the commit, whose <c>data</c> is the repository's new root.
    /// </summary>
    public CommitVerificationResult VerifySync(SyncEvent sync, AtprotoPublicKey signingKey, RepoChainState? stored = null)
    {
        ArgumentNullException.ThrowIfNull(sync);
        ArgumentNullException.ThrowIfNull(signingKey);
        if (sync.Blocks.Length > _limits.MaxBlocksBytes)
        {
            return Fail(CommitCheck.Limits, $"blocks of {sync.Blocks.Length} bytes exceed the limit of {_limits.MaxBlocksBytes} bytes");
        }

        return CheckSignedCommit(sync.Blocks, null, sync.Did, sync.Rev, signingKey, stored, out _, out var commit)
            ?? CommitVerificationResult.Valid(commit, commit.Data, []);
    }

    // The checks #commit and #sync share: the CAR slice, the commit block as its root, the commit's fields against the
    // event's, the revision order and clock, and the signature. Null when they all pass.
    private CommitVerificationResult? CheckSignedCommit(
        ReadOnlyMemory<byte> car,
        Cid? expectedCommit,
        string did,
        string revText,
        AtprotoPublicKey? signingKey,
        RepoChainState? stored,
        out BlockMap blocks,
        out Commit commit)
    {
        blocks = null!;
        commit = null!;
        if (!Tid.TryParse(revText, out var rev))
        {
            return Fail(CommitCheck.EventFields, $"event rev '{revText}' is not a TID");
        }

        if (!Did.IsValid(did))
        {
            return Fail(CommitCheck.EventFields, $"event DID '{did}' is not a DID");
        }

        IReadOnlyList<Cid> roots;
        try
        {
            (roots, blocks) = CarSlice.Read(car);
        }
        catch (CarFormatException exception)
        {
            return Fail(CommitCheck.Car, $"blocks is not a valid CAR slice: {exception.Message}");
        }

        if (roots.Count == 0 || (expectedCommit is { } expected && roots[0] != expected))
        {
            return Fail(CommitCheck.CommitBlock, $"the CAR's first root is {(roots.Count == 0 ? "absent" : roots[0].ToString())}, not the event's commit {expectedCommit}");
        }

        if (!blocks.TryGet(roots[0], out var commitBlock))
        {
            return Fail(CommitCheck.CommitBlock, $"the commit block {roots[0]} is not in the CAR slice");
        }

        try
        {
            commit = Commit.Decode(commitBlock);
        }
        catch (RepositoryFormatException exception)
        {
            return Fail(CommitCheck.CommitBlock, exception.Message);
        }

        if (!string.Equals(commit.Did, did, StringComparison.Ordinal))
        {
            return Fail(CommitCheck.Did, $"commit did '{commit.Did}' differs from the event's '{did}'", commit);
        }

        if (commit.Version != Commit.CurrentVersion)
        {
            return Fail(CommitCheck.Version, $"commit version is {commit.Version}, not {Commit.CurrentVersion}", commit);
        }

        if (!string.Equals(commit.Rev, revText, StringComparison.Ordinal))
        {
            return Fail(CommitCheck.Rev, $"commit rev '{commit.Rev}' differs from event rev '{revText}'", commit);
        }

        // TIDs of the same length sort like their values, so an ordinal comparison also orders a stored rev we cannot parse.
        if (stored is { } previous && string.CompareOrdinal(revText, previous.Rev) <= 0)
        {
            return Fail(CommitCheck.RevOrder, $"rev {revText} is not newer than the stored rev {previous.Rev}", commit);
        }

        var latest = _time.GetUtcNow() + _limits.MaxClockDrift;
        if (rev.Time > latest)
        {
            return Fail(CommitCheck.FutureRev, $"rev {revText} is dated {rev.Time:O}, later than now plus the allowed drift ({latest:O})", commit);
        }

        if (signingKey is not null && !commit.VerifySignature(signingKey))
        {
            return Fail(CommitCheck.Signature, $"signature does not verify with {signingKey} (or is not low-S)", commit);
        }

        return null;
    }

    private static bool TryConvert(RepoOperation op, int index, out MstOperation operation, out CommitCheck failedCheck, out string error)
    {
        operation = default;
        failedCheck = CommitCheck.Operations;
        var slash = op.Path.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || !Nsid.IsValid(op.Path.AsSpan(0, slash)) || !RecordKey.IsValid(op.Path.AsSpan(slash + 1)))
        {
            error = $"op {index} path '{op.Path}' is not a valid collection/rkey";
            return false;
        }

        switch (op.Action)
        {
            case RepoAction.Create when op.Cid is { } value && op.Prev is null:
                operation = MstOperation.Create(op.Path, value);
                break;
            case RepoAction.Update when op.Cid is { } value && op.Prev is { } prev:
                operation = MstOperation.Update(op.Path, value, prev);
                break;
            case RepoAction.Delete when op.Cid is null && op.Prev is { } prev:
                operation = MstOperation.Delete(op.Path, prev);
                break;
            case RepoAction.Update or RepoAction.Delete when op.Prev is null:
                // Events from before sync 1.1 lack prev, so the operation cannot be undone on the tree.
                failedCheck = CommitCheck.Inversion;
                error = $"op {index} ({op.Action} {op.Path}) has no prev: a legacy event that cannot be inverted";
                return false;
            default:
                error = $"op {index} ({op.Action} {op.Path}) has cid {(op.Cid is null ? "null" : "set")} and prev {(op.Prev is null ? "null" : "set")}, which the action does not allow";
                return false;
        }

        failedCheck = CommitCheck.None;
        error = string.Empty;
        return true;
    }

    private static CommitVerificationResult Fail(CommitCheck check, string message, Commit? commit = null) =>
        CommitVerificationResult.Failed(check, message, commit);
}
