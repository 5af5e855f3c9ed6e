using System.Collections.Immutable;
using System.Security.Cryptography;
using RecordKv.Atproto.Cids;
using RecordKv.Atproto.Crypto;
using RecordKv.Atproto.Firehose;
using RecordKv.Atproto.Mst;
using RecordKv.Atproto.Repo;
using RecordKv.Simulator.Encoding;

namespace RecordKv.Simulator.Generation;

/// <summary>
/// Decides, in one thread and from one seeded PRNG, every event the simulator emits: which account, which
/// operations, which records, which faults. It applies each event to the account's working state (MST edits,
/// proof blocks, unsigned commit) and leaves signing and encoding to <see cref="EventFinalizer"/>.
/// </summary>
internal sealed class SimGenerator
{
    /// <summary>The did:web host suffix: account n is <c>did:web:w{n}.sim.localhost</c>.</summary>
    public const string WebHostSuffix = ".sim.localhost";

    private readonly SimulatorOptions _options;
    private readonly SimRandom _random;
    private readonly SimClock _clock;
    private readonly RecordFactory _records;
    private readonly List<SimAccount> _accounts = [];
    private readonly List<SimAccount> _active = [];
    private readonly List<SimAccount> _inactive = [];
    private readonly Queue<SimAccount> _healing = new();
    private readonly Dictionary<string, SimAccount> _byDid = new(StringComparer.Ordinal);
    private readonly double[] _faultRates;

    // The keys one commit has touched so far (each key at most once per commit); cleared for every commit.
    private readonly HashSet<string> _touchedKeys = new(StringComparer.Ordinal);
    private long _nextSeq = 1;
    private PendingEvent? _lastEmitted;

    public SimGenerator(SimulatorOptions options)
    {
        _options = options;
        _random = new SimRandom((ulong)options.Seed);
        _clock = new SimClock((int)((ulong)options.Seed % 1024));
        _records = new RecordFactory(_random, _clock);
        _faultRates = new double[Enum.GetValues<SimulatorFault>().Length];
        foreach (var (fault, rate) in options.Faults)
        {
            _faultRates[(int)fault] = rate;
        }

        WrongSigner = new SimSigner(AtprotoPrivateKey.FromSeed(KeyAlgorithm.K256, $"{options.Seed}/intruder"));
    }

    /// <summary>The key the wrong-key fault signs with: nobody's key.</summary>
    public SimSigner WrongSigner { get; }

    public IReadOnlyList<SimAccount> Accounts => _accounts;

    /// <summary>The seq the next emitted event gets.</summary>
    public long NextSeq => _nextSeq;

    /// <summary>Accounts a fault left behind that still wait for their clean commit.</summary>
    public int PendingHeals => _healing.Count;

    public SimAccount? FindAccount(string did) => _byDid.GetValueOrDefault(did);

    /// <summary>Creates the accounts with their preloaded records and signs their first commits (no events).</summary>
    public void Preload()
    {
        var dids = new List<string>(_options.Accounts);
        for (var index = 0; index < _options.Accounts; index++)
        {
            var isWeb = _random.Chance(_options.DidWebShare);
            dids.Add(isWeb ? $"did:web:w{index}{WebHostSuffix}" : PlcDid(index));
        }

        _records.KnownDids = dids;
        for (var index = 0; index < dids.Count; index++)
        {
            var algorithm = _random.Chance(_options.P256Share) ? KeyAlgorithm.P256 : KeyAlgorithm.K256;
            var legacy = _random.Chance(_options.LegacyKeyFormShare);
            var did = dids[index];
            var signer = new SimSigner(AtprotoPrivateKey.FromSeed(algorithm, $"{_options.Seed}/{did}/key/0"));
            var initial = new AccountState
            {
                Did = did,
                Handle = $"u{index}.sim.test",
                Signer = signer,
                Status = AccountStatus.Active,
                Tree = MerkleSearchTree.Empty,
                Records = ImmutableSortedDictionary.Create<string, StoredRecord>(StringComparer.Ordinal),
                Rev = string.Empty,
            };
            var account = new SimAccount(index, did.StartsWith("did:web:", StringComparison.Ordinal), legacy && !did.StartsWith("did:web:", StringComparison.Ordinal), initial);
            _accounts.Add(account);
            _byDid.Add(did, account);
            AddActive(account);

            var writes = new List<MstOperation>();
            var records = initial.Records.ToBuilder();
            var rev = _clock.NextTid().ToString();
            for (var i = 0; i < _options.RecordsPerAccount; i++)
            {
                var (collection, recordKey) = _records.ChooseNew(account);
                var key = $"{collection}/{recordKey}";
                if (account.HasKey(key))
                {
                    continue;
                }

                var block = _records.Make(did, collection, recordKey);
                var cid = Cid.ForDagCbor(block);
                records[key] = new StoredRecord(cid, block, rev);
                account.AddKey(key);
                if (collection == RecordFactory.Post)
                {
                    _records.NotePost($"at://{did}/{key}", cid);
                }
            }

            var leaves = new List<MstLeaf>(records.Count);
            foreach (var (key, record) in records)
            {
                leaves.Add(new MstLeaf(key, record.Cid));
            }

            var tree = MerkleSearchTree.Build(leaves);
            var unsigned = Commit.EncodeUnsigned(did, tree.RootCid, rev);
            var signature = new byte[EcdsaSignature.Length];
            signer.Sign(unsigned, signature);
            var commit = Commit.WithSignature(did, tree.RootCid, rev, null, signature);
            var state = initial with
            {
                Tree = tree,
                Records = records.ToImmutable(),
                Rev = rev,
                Commit = commit,
                CommitCid = commit.ComputeCid(),
            };
            account.Working = state;
            account.Published = state;
            _clock.Advance(_random.Next(1, 1000));
        }
    }

    /// <summary>
    /// Generates events into <paramref name="batch"/> until it holds <paramref name="maxEmitted"/> seqs' worth.
    /// In the final phase no fault is injected and accounts a fault left behind get their clean commits first.
    /// </summary>
    /// <param name="batch">Receives the events.</param>
    /// <param name="maxEmitted">How many seqs this batch may use.</param>
    /// <param name="runLimit">The seq after which the run ends (null: unbounded); no fault is injected so close to
    /// it that the accounts it leaves behind could not get their clean commits in time.</param>
    /// <param name="finalPhase">Whether the run is winding down.</param>
    public void Generate(List<PendingEvent> batch, int maxEmitted, long? runLimit, bool finalPhase)
    {
        var start = _nextSeq;
        while (_nextSeq - start < maxEmitted && !(finalPhase && _healing.Count == 0))
        {
            Step(batch, finalPhase, runLimit is { } limit ? limit - _nextSeq + 1 : long.MaxValue);
        }
    }

    private void Step(List<PendingEvent> batch, bool finalPhase, long remaining)
    {
        _clock.Advance(_random.Next(1, 1000));
        var allowFaults = !finalPhase && remaining > _healing.Count + 4;
        if (_healing.Count > 0 && (finalPhase || _random.Chance(0.5)))
        {
            var account = _healing.Dequeue();
            account.NeedsHealing = false;
            if (account.Working.IsActive)
            {
                AddCommit(batch, account, null);
            }

            return;
        }

        if (_active.Count == 0)
        {
            Reactivate(batch, _inactive[_random.Next(_inactive.Count)]);
            return;
        }

        var roll = _random.Next(10_000);
        var target = _active[_random.Next(_active.Count)];
        if (roll < 40 && !target.NeedsHealing)
        {
            AddIdentity(batch, target);
        }
        else if (roll < 60 && _options.AccountEvents && !target.NeedsHealing && !finalPhase)
        {
            AddAccountChange(batch, target);
        }
        else if (roll < 120 && !target.NeedsHealing)
        {
            AddSync(batch, target);
        }
        else
        {
            var fault = allowFaults ? PickCommitFault() : null;
            if (fault == SimulatorFault.PrevDataGap)
            {
                // The skipped commit changes the repository but never reaches the firehose.
                AddCommit(batch, target, fault, emitted: false);
                AddCommit(batch, target, null);
            }
            else if (fault == SimulatorFault.StaleRev && target.LastCommit is { } previous)
            {
                AddCommit(batch, target, null);
                batch.Add(new PendingEvent
                {
                    Kind = PendingEventKind.StaleCommit,
                    Account = target,
                    Seq = _nextSeq++,
                    Time = _clock.NowText(),
                    Source = previous,
                    Fault = SimulatorFault.StaleRev,
                });
            }
            else
            {
                AddCommit(batch, target, fault == SimulatorFault.StaleRev ? null : fault);
                if (fault is not null && fault != SimulatorFault.StaleRev)
                {
                    target.NeedsHealing = true;
                    _healing.Enqueue(target);
                }
            }
        }

        if (allowFaults && _lastEmitted is { } last && _random.Chance(_faultRates[(int)SimulatorFault.DuplicateFrame]))
        {
            batch.Add(new PendingEvent { Kind = PendingEventKind.Duplicate, Account = last.Account, Seq = last.Seq, Time = last.Time, Source = last, Fault = SimulatorFault.DuplicateFrame });
        }

        if (allowFaults && _random.Chance(_faultRates[(int)SimulatorFault.UnknownEventType]))
        {
            Add(batch, new PendingEvent { Kind = PendingEventKind.Unknown, Account = target, Seq = _nextSeq++, Time = _clock.NowText(), Fault = SimulatorFault.UnknownEventType });
        }
    }

    private SimulatorFault? PickCommitFault()
    {
        SimulatorFault? chosen = null;
        foreach (var fault in CommitFaults)
        {
            // Every enabled fault draws, so one fault's rate does not shift another's decisions.
            if (_random.Chance(_faultRates[(int)fault]) && chosen is null)
            {
                chosen = fault;
            }
        }

        return chosen;
    }

    private static readonly SimulatorFault[] CommitFaults =
    [
        SimulatorFault.BadSignature, SimulatorFault.WrongKey, SimulatorFault.HighS, SimulatorFault.MissingProofBlock,
        SimulatorFault.PrevDataGap, SimulatorFault.StaleRev, SimulatorFault.MalformedCbor, SimulatorFault.TruncatedCar,
        SimulatorFault.OversizedFrame,
    ];

    private void AddCommit(List<PendingEvent> batch, SimAccount account, SimulatorFault? fault, bool emitted = true)
    {
        var before = account.Working;
        var count = _random.Next(1000) switch
        {
            < 960 => 1,
            < 998 => _random.Next(2, 11),
            _ => _random.Next(11, 201),
        };

        var tree = before.Tree;
        var records = before.Records.ToBuilder();
        var rev = _clock.NextTid().ToString();
        var touched = _touchedKeys;
        touched.Clear();
        var ops = new List<RepoOperation>(count);
        var mstOps = new List<MstOperation>(count);
        var recordBlocks = new List<(Cid, ReadOnlyMemory<byte>)>(count);
        for (var i = 0; i < count; i++)
        {
            var roll = account.KeyCount - touched.Count > 0 ? _random.Next(100) : 0;
            if (roll < 80)
            {
                var (collection, recordKey) = _records.ChooseNew(account);
                var key = $"{collection}/{recordKey}";
                if (touched.Contains(key))
                {
                    continue;
                }

                var block = _records.Make(account.Did, collection, recordKey);
                var cid = Cid.ForDagCbor(block);
                touched.Add(key);
                recordBlocks.Add((cid, block));
                if (account.HasKey(key))
                {
                    var previous = records[key].Cid;
                    tree = tree.Update(key, cid);
                    ops.Add(new RepoOperation(RepoAction.Update, key, cid, previous));
                    mstOps.Add(MstOperation.Update(key, cid, previous));
                }
                else
                {
                    tree = tree.Add(key, cid);
                    account.AddKey(key);
                    ops.Add(new RepoOperation(RepoAction.Create, key, cid, null));
                    mstOps.Add(MstOperation.Create(key, cid));
                    if (collection == RecordFactory.Post)
                    {
                        _records.NotePost($"at://{account.Did}/{key}", cid);
                    }
                }

                records[key] = new StoredRecord(cid, block, rev);
                continue;
            }

            var existing = account.KeyAt(_random.Next(account.KeyCount));
            if (!touched.Add(existing))
            {
                continue;
            }

            var prev = records[existing].Cid;
            if (roll < 90)
            {
                var slash = existing.IndexOf('/', StringComparison.Ordinal);
                var block = _records.Make(account.Did, existing[..slash], existing[(slash + 1)..]);
                var cid = Cid.ForDagCbor(block);
                if (cid == prev)
                {
                    continue;
                }

                tree = tree.Update(existing, cid);
                records[existing] = new StoredRecord(cid, block, rev);
                recordBlocks.Add((cid, block));
                ops.Add(new RepoOperation(RepoAction.Update, existing, cid, prev));
                mstOps.Add(MstOperation.Update(existing, cid, prev));
            }
            else
            {
                tree = tree.Delete(existing);
                records.Remove(existing);
                account.RemoveKey(existing);
                ops.Add(new RepoOperation(RepoAction.Delete, existing, null, prev));
                mstOps.Add(MstOperation.Delete(existing, prev));
            }
        }

        var data = tree.RootCid;
        var after = before with { Tree = tree, Records = records.ToImmutable(), Rev = rev };
        account.Working = after;
        var pending = new PendingEvent
        {
            Kind = PendingEventKind.Commit,
            Account = account,
            Seq = emitted ? _nextSeq++ : -1,
            Time = _clock.NowText(),
            After = after,
            Fault = fault,
            UnsignedCommit = Commit.EncodeUnsigned(account.Did, data, rev),
            Data = data,
            PrevData = before.Tree.RootCid,
            Rev = rev,
            Since = before.Rev.Length == 0 ? null : before.Rev,
            Ops = ops,
            RecordBlocks = recordBlocks,
            Tree = tree,
            MstOperations = mstOps,
        };
        Add(batch, pending);
        if (emitted && fault is null)
        {
            // Only clean commits are repeated by the stale-rev fault, so that each repeat is one fault, not two.
            account.LastCommit = pending;
        }
    }

    private void AddSync(List<PendingEvent> batch, SimAccount account)
    {
        var before = account.Working;
        var rev = _clock.NextTid().ToString();
        var after = before with { Rev = rev };
        account.Working = after;
        Add(batch, new PendingEvent
        {
            Kind = PendingEventKind.Sync,
            Account = account,
            Seq = _nextSeq++,
            Time = _clock.NowText(),
            After = after,
            UnsignedCommit = Commit.EncodeUnsigned(account.Did, before.Tree.RootCid, rev),
            Data = before.Tree.RootCid,
            Rev = rev,
        });
    }

    private void AddIdentity(List<PendingEvent> batch, SimAccount account)
    {
        var before = account.Working;
        account.IdentityVersion++;
        AccountState after;
        if (_options.KeyRotations && _random.Chance(0.25))
        {
            var algorithm = before.Signer.Algorithm;
            after = before with { Signer = new SimSigner(AtprotoPrivateKey.FromSeed(algorithm, $"{_options.Seed}/{account.Did}/key/{account.IdentityVersion}")) };
        }
        else
        {
            after = before with { Handle = $"u{account.Index}v{account.IdentityVersion}.sim.test" };
        }

        account.Working = after;
        Add(batch, new PendingEvent { Kind = PendingEventKind.Identity, Account = account, Seq = _nextSeq++, Time = _clock.NowText(), After = after, Handle = after.Handle });
        if (!ReferenceEquals(after.Signer, before.Signer))
        {
            // Like a PDS after a key change: a fresh commit signed with the new key, so that getRepo verifies again.
            AddSync(batch, account);
        }
    }

    private void AddAccountChange(List<PendingEvent> batch, SimAccount account)
    {
        if (_inactive.Count > 0 && _random.Chance(0.5))
        {
            Reactivate(batch, _inactive[_random.Next(_inactive.Count)]);
            return;
        }

        if (_active.Count <= 1)
        {
            return;
        }

        var roll = _random.Next(100);
        var status = roll < 60 ? AccountStatus.Deactivated : roll < 85 ? AccountStatus.Takendown : AccountStatus.Deleted;
        RemoveActive(account);
        if (status != AccountStatus.Deleted)
        {
            _inactive.Add(account);
        }

        var after = account.Working with { Status = status };
        account.Working = after;
        Add(batch, new PendingEvent { Kind = PendingEventKind.Account, Account = account, Seq = _nextSeq++, Time = _clock.NowText(), After = after, Active = false, StatusText = after.StatusText });
    }

    // Like a PDS's activateAccount: #account (active), then #identity, then #sync of the current commit.
    private void Reactivate(List<PendingEvent> batch, SimAccount account)
    {
        _inactive.Remove(account);
        AddActive(account);
        var after = account.Working with { Status = AccountStatus.Active };
        account.Working = after;
        Add(batch, new PendingEvent { Kind = PendingEventKind.Account, Account = account, Seq = _nextSeq++, Time = _clock.NowText(), After = after, Active = true });
        Add(batch, new PendingEvent { Kind = PendingEventKind.Identity, Account = account, Seq = _nextSeq++, Time = _clock.NowText(), After = after, Handle = after.Handle });
        AddSync(batch, account);
    }

    private void Add(List<PendingEvent> batch, PendingEvent pending)
    {
        batch.Add(pending);
        if (pending.IsEmitted && pending.Fault is null)
        {
            _lastEmitted = pending;
        }
    }

    private void AddActive(SimAccount account)
    {
        account.ActiveSlot = _active.Count;
        _active.Add(account);
    }

    private void RemoveActive(SimAccount account)
    {
        var slot = account.ActiveSlot;
        var last = _active[^1];
        _active[slot] = last;
        last.ActiveSlot = slot;
        _active.RemoveAt(_active.Count - 1);
        account.ActiveSlot = -1;
    }

    private string PlcDid(int index)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{_options.Seed}/plc/{index}"), hash);
        const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        var chars = new char[24];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[hash[i] & 31];
        }

        return string.Concat("did:plc:", new string(chars));
    }
}
