namespace RecordKv.Builder;

/// <summary>
/// The commits a lane has applied but not yet made durable: their record writes are published into one batch and their
/// repo states held back, so that a lane working through a backlog waits for acknowledgements once per batch instead of
/// twice per commit, and several commits of one DID cost one repo-state write. <see cref="FlushAsync"/> waits for every
/// record write's acknowledgement, then takes the deleted records' paths out of each DID's record index and only then
/// writes each DID's latest state (the commit point). Only the lane that owns it touches it.
/// </summary>
internal sealed class PendingCommits
{
    private readonly BuilderStore _store;
    private readonly Dictionary<string, (RepoTrack Track, RepoState State)> _states = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _removed = new(StringComparer.Ordinal);
    private readonly List<Task> _puts = [];
    private RecordWriteBatch? _writes;

    public PendingCommits(BuilderStore store) => _store = store;

    /// <summary>The batch the pending commits publish their record writes into.</summary>
    public RecordWriteBatch Writes => _writes ??= _store.BeginWrites();

    /// <summary>Whether anything waits for <see cref="FlushAsync"/>.</summary>
    public bool IsEmpty => _writes is null && _states.Count == 0;

    /// <summary>The DIDs whose states are held back.</summary>
    public IEnumerable<string> Dids => _states.Keys;

    /// <summary>
    /// The track of a DID with a state held back here (its in-memory state is ahead of the store): the lane must go on
    /// from it even if the partition's cache has evicted it meanwhile.
    /// </summary>
    public bool TryGetTrack(string did, out RepoTrack track)
    {
        if (_states.TryGetValue(did, out var held))
        {
            track = held.Track;
            return true;
        }

        track = null!;
        return false;
    }

    /// <summary>Records a commit's new state: in memory at once, in the store at the next flush.</summary>
    public void Defer(string did, RepoTrack track, RepoState state)
    {
        track.State = state;
        _states[did] = (track, state);
    }

    /// <summary>A record path added to the DID's index in this batch: a delete of it earlier in the batch is undone.</summary>
    public void AddedToIndex(string did, IEnumerable<string> paths)
    {
        if (_removed.TryGetValue(did, out var removed))
        {
            removed.ExceptWith(paths);
        }
    }

    /// <summary>A record deleted in this batch: its path leaves the DID's index once the delete is acknowledged.</summary>
    public void RemovedFromStore(string did, string path)
    {
        if (!_removed.TryGetValue(did, out var removed))
        {
            _removed[did] = removed = new HashSet<string>(StringComparer.Ordinal);
        }

        removed.Add(path);
    }

    /// <summary>
    /// Waits for every record write's acknowledgement, then completes each held DID's record index and writes its state;
    /// throws when any write failed.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_writes is { } writes)
        {
            _writes = null;
            await writes.WhenAcknowledgedAsync(cancellationToken).ConfigureAwait(false);
        }

        if (_states.Count == 0)
        {
            return;
        }

        try
        {
            foreach (var (did, held) in _states)
            {
                _puts.Add(CompleteAsync(did, held.State, _removed.GetValueOrDefault(did), cancellationToken));
            }

            await Task.WhenAll(_puts).ConfigureAwait(false);
        }
        finally
        {
            _puts.Clear();
        }

        _states.Clear();
        _removed.Clear();
    }

    /// <summary>
    /// Drops everything held after a failed flush: the held DIDs' tracks are forgotten, so their redelivered events are
    /// judged against the stored state again.
    /// </summary>
    public void Abandon()
    {
        _writes = null;
        foreach (var did in _states.Keys)
        {
            _store.Forget(did);
        }

        _states.Clear();
        _removed.Clear();
    }

    private async Task CompleteAsync(string did, RepoState state, IReadOnlyCollection<string>? removed, CancellationToken cancellationToken)
    {
        state = await _store.CompleteIndexAsync(did, state, removed ?? [], cancellationToken).ConfigureAwait(false);
        await _store.PutRepoStateAsync(did, state, cancellationToken).ConfigureAwait(false);
    }
}
