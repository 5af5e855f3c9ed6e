namespace RecordKv.Builder;

/// <summary>
/// A thread-safe cache bounded by entry count that evicts the least recently used entry when full. Entries live in
/// a preallocated array linked into a recency list by index, so a hit or an update allocates nothing.
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
internal sealed class BoundedLruCache<TKey, TValue>
    where TKey : notnull
{
    private const int None = -1;
    private readonly Lock _sync = new();
    private readonly Dictionary<TKey, int> _index;
    private Entry[] _entries;
    private int _head = None;
    private int _tail = None;
    private int _used;

    public BoundedLruCache(int capacity, IEqualityComparer<TKey>? comparer = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _index = new Dictionary<TKey, int>(Math.Min(capacity, 1024), comparer);
        _entries = new Entry[Math.Min(capacity, 1024)];
    }

    /// <summary>The most entries held at once.</summary>
    public int Capacity { get; }

    /// <summary>Entries held now.</summary>
    public int Count
    {
        get
        {
            lock (_sync)
            {
                return _index.Count;
            }
        }
    }

    /// <summary>Entries evicted to make room so far.</summary>
    public long Evictions { get; private set; }

    /// <summary>Looks a key up and marks it most recently used.</summary>
    public bool TryGet(TKey key, out TValue value)
    {
        lock (_sync)
        {
            if (_index.TryGetValue(key, out var slot))
            {
                MoveToFront(slot);
                value = _entries[slot].Value;
                return true;
            }
        }

        value = default!;
        return false;
    }

    /// <summary>Adds or replaces a key's value (most recently used), evicting the least recently used entry when full.</summary>
    public void Set(TKey key, TValue value)
    {
        lock (_sync)
        {
            if (_index.TryGetValue(key, out var slot))
            {
                _entries[slot].Value = value;
                MoveToFront(slot);
                return;
            }

            if (_used < Capacity)
            {
                if (_used == _entries.Length)
                {
                    Array.Resize(ref _entries, Math.Min(Capacity, _entries.Length * 2));
                }

                slot = _used++;
            }
            else
            {
                slot = _tail;
                Unlink(slot);
                _index.Remove(_entries[slot].Key);
                Evictions++;
            }

            _entries[slot] = new Entry { Key = key, Value = value, Previous = None, Next = None };
            _index[key] = slot;
            LinkFront(slot);
        }
    }

    /// <summary>Removes a key.</summary>
    public bool Remove(TKey key)
    {
        lock (_sync)
        {
            if (!_index.Remove(key, out var slot))
            {
                return false;
            }

            Unlink(slot);
            // The freed slot is reused by moving the last used slot into it, keeping slots 0.._used-1 occupied.
            var last = --_used;
            if (slot != last)
            {
                // Relink the moved entry's neighbours to its new slot so its recency is kept.
                var moved = _entries[last];
                _entries[slot] = moved;
                _index[moved.Key] = slot;
                if (moved.Previous != None)
                {
                    _entries[moved.Previous].Next = slot;
                }
                else
                {
                    _head = slot;
                }

                if (moved.Next != None)
                {
                    _entries[moved.Next].Previous = slot;
                }
                else
                {
                    _tail = slot;
                }
            }

            _entries[last] = default;
            return true;
        }
    }

    /// <summary>Removes every entry whose key matches.</summary>
    public void RemoveWhere(Func<TKey, bool> matches)
    {
        List<TKey> doomed = [];
        lock (_sync)
        {
            foreach (var key in _index.Keys)
            {
                if (matches(key))
                {
                    doomed.Add(key);
                }
            }
        }

        foreach (var key in doomed)
        {
            Remove(key);
        }
    }

    /// <summary>Removes every entry.</summary>
    public void Clear()
    {
        lock (_sync)
        {
            _index.Clear();
            Array.Clear(_entries);
            _head = _tail = None;
            _used = 0;
        }
    }

    private void MoveToFront(int slot)
    {
        if (slot == _head)
        {
            return;
        }

        Unlink(slot);
        LinkFront(slot);
    }

    private void LinkFront(int slot)
    {
        _entries[slot].Previous = None;
        _entries[slot].Next = _head;
        if (_head != None)
        {
            _entries[_head].Previous = slot;
        }

        _head = slot;
        if (_tail == None)
        {
            _tail = slot;
        }
    }

    private void Unlink(int slot)
    {
        ref var entry = ref _entries[slot];
        if (entry.Previous != None)
        {
            _entries[entry.Previous].Next = entry.Next;
        }
        else if (_head == slot)
        {
            _head = entry.Next;
        }

        if (entry.Next != None)
        {
            _entries[entry.Next].Previous = entry.Previous;
        }
        else if (_tail == slot)
        {
            _tail = entry.Previous;
        }

        entry.Previous = None;
        entry.Next = None;
    }

    private record struct Entry
    {
        public TKey Key;
        public TValue Value;
        public int Previous;
        public int Next;
    }
}
