using System.Buffers;
using RecordKv.Atproto.Blocks;
using RecordKv.Atproto.Car;
using RecordKv.Atproto.Cids;
using RecordKv.Atproto.Repo;

namespace RecordKv.Atproto.Firehose;

/// <summary>Assembles <c>#commit</c> and <c>#sync</c> events the way a PDS emits them, for simulators and tests.</summary>
public static class CommitEventFactory
{
    /// <summary>Builds a <c>#commit</c> event whose CAR slice holds the commit block (first, as root) then <paramref name="blocks"/>.</summary>
    /// <param name="commit">The signed commit.</param>
    /// <param name="ops">The record operations (with <c>prev</c> for updates and deletes).</param>
    /// <param name="blocks">The MST proof nodes (<c>MstProof.ForCommit</c>) and the created or updated records.</param>
    /// <param name="seq">The stream sequence number.</param>
    /// <param name="since">The previous commit's revision, if any.</param>
    /// <param name="prevData">The previous commit's MST root, if any.</param>
    /// <param name="time">The broadcast time (atproto datetime).</param>
    public static CommitEvent CreateCommit(Commit commit, IReadOnlyList<RepoOperation> ops, BlockMap blocks, long seq, string? since, Cid? prevData, string time)
    {
        ArgumentNullException.ThrowIfNull(commit);
        ArgumentNullException.ThrowIfNull(ops);
        ArgumentNullException.ThrowIfNull(blocks);
        var commitCid = commit.ComputeCid();
        return new CommitEvent
        {
            Seq = seq,
            Repo = commit.Did,
            Commit = commitCid,
            Rev = commit.Rev ?? throw new ArgumentException("A #commit needs a v3 commit with a rev.", nameof(commit)),
            Since = since,
            Blocks = WriteSlice(commitCid, commit, blocks),
            Ops = ops,
            PrevData = prevData,
            Time = time,
        };
    }

    /// <summary>Builds a <c>#sync</c> event whose CAR slice holds only the commit block.</summary>
    public static SyncEvent CreateSync(Commit commit, long seq, string time)
    {
        ArgumentNullException.ThrowIfNull(commit);
        var commitCid = commit.ComputeCid();
        return new SyncEvent
        {
            Seq = seq,
            Did = commit.Did,
            Rev = commit.Rev ?? throw new ArgumentException("A #sync needs a v3 commit with a rev.", nameof(commit)),
            Blocks = WriteSlice(commitCid, commit, null),
            Time = time,
        };
    }

    /// <summary>Writes a repository CAR export: the commit as root and first block, then every block of <paramref name="blocks"/>.</summary>
    public static byte[] WriteRepositoryCar(Commit commit, BlockMap blocks)
    {
        ArgumentNullException.ThrowIfNull(commit);
        ArgumentNullException.ThrowIfNull(blocks);
        return WriteSlice(commit.ComputeCid(), commit, blocks);
    }

    private static byte[] WriteSlice(Cid commitCid, Commit commit, BlockMap? blocks)
    {
        var output = new ArrayBufferWriter<byte>(commit.EncodedBytes.Length + 64 + (int)Math.Min(blocks?.TotalBytes ?? 0, int.MaxValue / 2));
        WriteSlice(output, commitCid, commit, blocks);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Writes a commit's CAR slice into <paramref name="output"/>: <paramref name="commitCid"/> as root, the commit block
    /// first, then every other block of <paramref name="blocks"/> (callers that reuse buffers build events with it).
    /// </summary>
    public static void WriteSlice(IBufferWriter<byte> output, Cid commitCid, Commit commit, BlockMap? blocks)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(commit);
        var writer = new CarWriter(output);
        writer.WriteHeader(commitCid);
        writer.WriteBlock(commitCid, commit.EncodedBytes.Span);
        if (blocks is not null)
        {
            foreach (var (cid, data) in blocks)
            {
                if (cid != commitCid)
                {
                    writer.WriteBlock(cid, data.Span);
                }
            }
        }
    }
}
