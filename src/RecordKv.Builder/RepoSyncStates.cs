namespace RecordKv.Builder;

/// <summary>Values of <see cref="RepoState.SyncState"/>.</summary>
public static class RepoSyncStates
{
    /// <summary>The store follows the repository's chain.</summary>
    public const string Synchronized = "synchronized";

    /// <summary>The chain broke; a resync is due.</summary>
    public const string Desynchronized = "desynchronized";

    /// <summary>A resync is under way.</summary>
    public const string Resyncing = "resyncing";
}
