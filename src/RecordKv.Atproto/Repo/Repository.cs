using RecordKv.Atproto.Blocks;
using RecordKv.Atproto.Cids;
using RecordKv.Atproto.Crypto;

namespace RecordKv.Atproto.Repo;

/// <summary>
/// A whole repository loaded from a CAR export and checked: the single root is a valid commit, the MST under
/// its <c>data</c> is complete and well-formed, and every record it links is present and hashes to its CID.
/// </summary>
public sealed partial class Repository
{
    private readonly Dictionary<string, int> _recordIndex;
    private readonly BlockMap _blocks;

    private Repository(Cid commitCid, Commit commit, IReadOnlyList<RepositoryRecord> records, BlockMap blocks, int mstNodeCount, int reachableBlockCount)
    {
        CommitCid = commitCid;
        Commit = commit;
        Records = records;
        _blocks = blocks;
        MstNodeCount = mstNodeCount;
        ReachableBlockCount = reachableBlockCount;
        _recordIndex = new Dictionary<string, int>(records.Count, StringComparer.Ordinal);
        for (var i = 0; i < records.Count; i++)
        {
            _recordIndex[records[i].Path] = i;
        }
    }

    /// <summary>The signed commit at the root of the export.</summary>
    public Commit Commit { get; }

    /// <summary>The CID of the commit block (the CAR's root).</summary>
    public Cid CommitCid { get; }

    /// <summary>The DID of the account, from the commit.</summary>
    public string Did => Commit.Did;

    /// <summary>The revision, from the commit; <c>null</c> for a v2 repository.</summary>
    public string? Rev => Commit.Rev;

    /// <summary>The repository format version, 2 or 3.</summary>
    public int Version => Commit.Version;

    /// <summary>The MST root CID (the commit's <c>data</c>).</summary>
    public Cid DataCid => Commit.Data;

    /// <summary>Every record, in MST key order.</summary>
    public IReadOnlyList<RepositoryRecord> Records { get; }

    /// <summary>Every distinct block of the export, reachable or not.</summary>
    public IBlockSource Blocks => _blocks;

    /// <summary>The number of distinct blocks in the export.</summary>
    public int BlockCount => _blocks.Count;

    /// <summary>The number of distinct blocks reachable from the commit: the commit, MST nodes and records.</summary>
    public int ReachableBlockCount { get; }

    /// <summary>The number of distinct blocks nothing reachable links to (history, leftovers); tolerated, not used.</summary>
    public int UnreachableBlockCount => BlockCount - ReachableBlockCount;

    /// <summary>The number of MST nodes.</summary>
    public int MstNodeCount { get; }

    /// <summary>Whether the commit's signature verifies with <paramref name="publicKey"/> (low-S only).</summary>
    public bool VerifySignature(AtprotoPublicKey publicKey) => Commit.VerifySignature(publicKey);

    /// <summary>Finds a record by collection and record key.</summary>
    public bool TryGetRecord(string collection, string recordKey, out RepositoryRecord record)
    {
        if (_recordIndex.TryGetValue(string.Concat(collection, "/", recordKey), out var index))
        {
            record = Records[index];
            return true;
        }

        record = default;
        return false;
    }

    /// <summary>The distinct collections that hold records, in key order.</summary>
    public IReadOnlyList<string> GetCollections()
    {
        var collections = new List<string>();
        foreach (var record in Records)
        {
            if (collections.Count == 0 || !string.Equals(collections[^1], record.Collection, StringComparison.Ordinal))
            {
                collections.Add(record.Collection);
            }
        }

        return collections;
    }
}
