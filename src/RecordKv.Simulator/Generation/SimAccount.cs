namespace RecordKv.Simulator.Generation;

/// <summary>
/// A simulated account: fixed facts (DID, DID method, key form), the generator's working state, the published
/// state the servers read, and the generator's bookkeeping (record keys for random picks).
/// </summary>
internal sealed class SimAccount
{
    private readonly List<string> _keys = [];
    private readonly Dictionary<string, int> _keyIndex = new(StringComparer.Ordinal);
    private AccountState _published;

    public SimAccount(int index, bool isWeb, bool legacyKeyForm, AccountState initial)
    {
        Index = index;
        IsWeb = isWeb;
        LegacyKeyForm = legacyKeyForm;
        Working = initial;
        _published = initial;
    }

    public int Index { get; }

    public string Did => Working.Did;

    public bool IsWeb { get; }

    /// <summary>Whether the PLC document uses the legacy <c>EcdsaSecp256k1VerificationKey2019</c> form.</summary>
    public bool LegacyKeyForm { get; }

    /// <summary>The generator's newest state (may be ahead of <see cref="Published"/>, not yet signed).</summary>
    public AccountState Working { get; set; }

    /// <summary>The state the servers show: the newest one whose event has been emitted.</summary>
    public AccountState Published
    {
        get => Volatile.Read(ref _published);
        set => Volatile.Write(ref _published, value);
    }

    /// <summary>Position in the generator's list of active accounts (-1 when inactive).</summary>
    public int ActiveSlot { get; set; } = -1;

    /// <summary>How many handle changes and key rotations the account has had (names new handles and keys).</summary>
    public int IdentityVersion { get; set; }

    /// <summary>Whether a fault left consumers behind on this account, so a clean commit must follow.</summary>
    public bool NeedsHealing { get; set; }

    /// <summary>The latest commit event emitted for this account (re-emitted by the stale-rev fault).</summary>
    public PendingEvent? LastCommit { get; set; }

    public int KeyCount => _keys.Count;

    public bool HasKey(string key) => _keyIndex.ContainsKey(key);

    public string KeyAt(int index) => _keys[index];

    public void AddKey(string key)
    {
        _keyIndex.Add(key, _keys.Count);
        _keys.Add(key);
    }

    public void RemoveKey(string key)
    {
        var index = _keyIndex[key];
        var last = _keys[^1];
        _keys[index] = last;
        _keyIndex[last] = index;
        _keys.RemoveAt(_keys.Count - 1);
        _keyIndex.Remove(key);
    }
}
