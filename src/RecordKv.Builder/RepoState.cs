using System.Text.Json.Serialization;

namespace RecordKv.Builder;

/// <summary>The repo bucket value of one repository: the commit point of the builder for that DID.</summary>
public sealed record RepoState : IJsonOnDeserializing
{
    // A new state starts indexed; a stored one without the property was written before the index existed.
    private int? _indexDeltas = 0;

    /// <summary>The revision of the last applied commit, or <c>null</c> when none is known.</summary>
    [JsonPropertyName("rev")]
    public string? Rev { get; init; }

    /// <summary>The MST root of the last applied commit.</summary>
    [JsonPropertyName("data")]
    public string? Data { get; init; }

    /// <summary>The CID of the last applied commit.</summary>
    [JsonPropertyName("commit")]
    public string? Commit { get; init; }

    /// <summary>The account status: <c>active</c>, <c>deleted</c>, <c>deactivated</c>, <c>takendown</c>, ...</summary>
    [JsonPropertyName("status")]
    public string Status { get; init; } = RepoStatuses.Active;

    /// <summary><c>synchronized</c>, <c>desynchronized</c> or <c>resyncing</c>.</summary>
    [JsonPropertyName("syncState")]
    public string SyncState { get; init; } = RepoSyncStates.Synchronized;

    /// <summary>The PDS endpoint from the DID document, when known.</summary>
    [JsonPropertyName("pds")]
    public string? Pds { get; init; }

    /// <summary>
    /// Collections the repository has (or had) records in, used to list its keys: every one once a writer's final state
    /// is written; while a writer is between its records and its final state, at least one of each length in segments
    /// (see <see cref="BuilderStore.AnnounceCollectionsAsync"/>).
    /// </summary>
    [JsonPropertyName("collections")]
    public IReadOnlyList<string> Collections { get; init; } = [];

    /// <summary>
    /// The messages on the DID's record index subject since its last snapshot (<see cref="RecordIndex"/>); past a bound
    /// the next flush compacts them. Null: the state was written before the index existed and its records are listed
    /// through <see cref="Collections"/> until a resync or removal writes the DID's first snapshot.
    /// </summary>
    [JsonPropertyName("indexDeltas")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? IndexDeltas { get => _indexDeltas; init => _indexDeltas = value; }

    /// <summary>
    /// The firehose seq of the last <c>#account</c> event applied. Account events carry no rev, so this is their guard:
    /// an older one redelivered after a newer one (a crashed builder's unacked event comes back after AckWait, behind
    /// events delivered meanwhile) must not undo it.
    /// </summary>
    [JsonPropertyName("accountSeq")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? AccountSeq { get; init; }

    /// <summary>
    /// The repo bucket revision this state was read at or written as (0: the key holds no state). Not stored: a copy
    /// made with <c>with</c> keeps it, so the next write of the copy is a compare-and-set on the revision the writer
    /// based it on, and a builder that lost the DID to another one (a handover) cannot overwrite the newer state.
    /// </summary>
    [JsonIgnore]
    internal ulong Revision { get; set; }

    /// <summary>The state's collections followed by those of <paramref name="more"/> it lacks (the same list when none).</summary>
    public IReadOnlyList<string> CollectionsWith(IEnumerable<string> more)
    {
        List<string>? grown = null;
        foreach (var collection in more)
        {
            if (!(grown ?? Collections).Contains(collection))
            {
                (grown ??= [.. Collections]).Add(collection);
            }
        }

        return grown ?? Collections;
    }

    /// <summary>
    /// Whether the record index lists the DID's records: always for a DID without a state (a first writer adds to the
    /// index before its first record), and for every state written since the index existed.
    /// </summary>
    public static bool IsIndexed(RepoState? state) => state is null || state.IndexDeltas is not null;

    void IJsonOnDeserializing.OnDeserializing() => _indexDeltas = null;

    /// <summary>Whether the account's records are visible.</summary>
    [JsonIgnore]
    public bool IsActive => Status == RepoStatuses.Active;
}
