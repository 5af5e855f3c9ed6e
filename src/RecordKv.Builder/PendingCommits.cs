using RecordKv.Atproto.Cids;

namespace RecordKv.Builder;

/// <summary>
/// The commits a lane has applied but not yet made durable: their record writes and repo states are held back, so that a
/// lane working through a backlog publishes and waits for acknowledgements once per batch instead of twice per commit,
/// and several commits of one DID cost one record index delta and one repo-state write. <see cref="FlushAsync"/>
/// publishes each DID's new record paths into its record index, then the record writes in order, waits for every
/// acknowledgement, and only then writes each DID's latest state (the commit point). Only the lane that owns it
/// touches it.
/// </summary>
internal sealed class PendingCommits
{
    private readonly BuilderStore _store;
    private readonly Dictionary<string, (RepoTrack Track, RepoState State)> _states = new(StringComparer.Ordinal);
    private readonly List<HeldWrite> _writes = [];
    private readonly Dictionary<string, List<string>> _added = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _removed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _deltas = new(StringComparer.Ordinal);
    private readonly List<Task> _puts = [];

    public PendingCommits(BuilderStore store) => _store = store;

    /// <summary>Whether anything waits for <see cref="FlushAsync"/>.</summary>
    public bool IsEmpty => _writes.Count == 0 && _states.Count == 0;

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

    /// <summary>
    /// Holds a record put. <paramref name="path"/>: its record index path, for a DID whose index lists its records
    /// (null otherwise); it goes into the index before the record is published.
    /// </summary>
    public void Put(string did, string key, string? path, Cid cid, string rev, ReadOnlyMemory<byte> cbor)
    {
        _writes.Add(new HeldWrite(key, cid, rev, cbor));
        if (path is not null)
        {
            if (!_added.TryGetValue(did, out var added))
            {
                _added[did] = added = [];
            }

            added.Add(path);
            // Deleted earlier in this batch and written again: it stays in the index.
            if (_removed.TryGetValue(did, out var removed))
            {
                removed.Remove(path);
            }
        }
    }

    /// <summary>
    /// Holds a record delete. <paramref name="path"/> (null for a DID whose index does not list its records) leaves the
    /// record index only once the delete is acknowledged.
    /// </summary>
    public void Delete(string did, string key, string? path)
    {
        _writes.Add(new HeldWrite(key, null, null, default));
        if (path is not null)
        {
            if (!_removed.TryGetValue(did, out var removed))
            {
                _removed[did] = removed = new HashSet<string>(StringComparer.Ordinal);
            }

            removed.Add(path);
        }
    }

    /// <summary>Records a commit's new state: in memory at once, in the store at the next flush.</summary>
    public void Defer(string did, RepoTrack track, RepoState state)
    {
        track.State = state;
        _states[did] = (track, state);
    }

    /// <summary>
    /// Publishes the held index paths and record writes, waits for every acknowledgement, then completes each held DID's
    /// record index and writes its state; throws when any write failed.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_writes.Count > 0)
        {
            var batch = _store.BeginWrites();

            // Every path before any record, on the publisher's one connection: the server stores them first.
            foreach (var (did, paths) in _added)
            {
                _deltas[did] = await _store.AddToIndexAsync(batch, did, paths, cancellationToken).ConfigureAwait(false);
            }

            foreach (var write in _writes)
            {
                if (write.Cid is { } cid)
                {
                    await _store.PutRecordAsync(batch, write.Key, cid, write.Rev!, write.Cbor, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await _store.DeleteRecordAsync(batch, write.Key, cancellationToken).ConfigureAwait(false);
                }
            }

            _writes.Clear();
            _added.Clear();
            await batch.WhenAcknowledgedAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            foreach (var (did, held) in _states)
            {
                _puts.Add(CompleteAsync(did, held.Track, held.State, cancellationToken));
            }

            await Task.WhenAll(_puts).ConfigureAwait(false);
        }
        finally
        {
            _puts.Clear();
        }

        _states.Clear();
        _removed.Clear();
        _deltas.Clear();
    }

    /// <summary>
    /// Drops everything held after a failed flush: the held DIDs' tracks are forgotten, so their redelivered events are
    /// judged against the stored state again.
    /// </summary>
    public void Abandon()
    {
        _writes.Clear();
        _added.Clear();
        foreach (var did in _states.Keys)
        {
            _store.Forget(did);
        }

        _states.Clear();
        _removed.Clear();
        _deltas.Clear();
    }

    // The DID's record index, then its state. The state written may be a new copy (the index's count moves on): the
    // track follows it, so the lane's next write compares against the revision written here.
    private async Task CompleteAsync(string did, RepoTrack track, RepoState state, CancellationToken cancellationToken)
    {
        state = await _store.CompleteIndexAsync(did, state, _deltas.GetValueOrDefault(did), _removed.GetValueOrDefault(did) ?? [], cancellationToken).ConfigureAwait(false);
        track.State = state;
        await _store.PutRepoStateAsync(did, state, cancellationToken).ConfigureAwait(false);
    }

    // A record write held until the flush: a put (with its CID) or a delete. The CBOR is a slice of the frame, which the
    // lane holds until it acks it after the flush.
    private readonly record struct HeldWrite(string Key, Cid? Cid, string? Rev, ReadOnlyMemory<byte> Cbor);
}
