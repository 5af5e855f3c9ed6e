using RecordKv.Atproto.Blocks;
using RecordKv.Atproto.Cids;
using RecordKv.Atproto.Crypto;
using RecordKv.Atproto.Firehose;
using RecordKv.Atproto.Repo;

namespace RecordKv.Atproto.Tests.Firehose;

public sealed class CommitRoundTripTests
{
    private static readonly SignedRepositoryScenario Scenario = new();

    [Theory]
    [InlineData(KeyAlgorithm.K256)]
    [InlineData(KeyAlgorithm.P256)]
    public void Load_SignedRepositoryWrittenAsCar_HasEveryRecordAndVerifies(KeyAlgorithm algorithm)
    {
        var scenario = algorithm == KeyAlgorithm.K256 ? Scenario : new SignedRepositoryScenario(algorithm, recordCount: 10);

        var repository = Repository.Load(scenario.FirstRepositoryCar());

        repository.Did.ShouldBe(SignedRepositoryScenario.Did);
        repository.Rev.ShouldBe(SignedRepositoryScenario.FirstRev);
        repository.DataCid.ShouldBe(scenario.Before.RootCid);
        repository.Records.Count.ShouldBe(scenario.RecordBlocks.Count);
        repository.UnreachableBlockCount.ShouldBe(0);
        repository.VerifySignature(scenario.Key.PublicKey).ShouldBeTrue();
        repository.Commit.Prev.ShouldBeNull();
    }

    [Fact]
    public void Verify_CommitFrameWithProof_IsValidWithItsWrites()
    {
        var frame = FirehoseFrame.Encode(Scenario.SecondCommitEvent());
        var decoded = FirehoseFrame.Decode(frame).ShouldBeOfType<CommitEvent>();

        var result = new CommitVerifier().Verify(decoded, Scenario.Key.PublicKey, Scenario.StoredAfterFirst);

        result.ToString().ShouldBe("valid");
        result.PreviousData.ShouldBe(Scenario.Before.RootCid);
        result.Commit!.Data.ShouldBe(Scenario.After.RootCid);
        result.Writes.Select(w => (w.Collection + "/" + w.RecordKey, w.Action, w.Cid)).ShouldBe(Scenario.Ops.Select(o => (o.Path, o.Action, o.Cid)));
        result.Writes[0].Record.ToArray().ShouldBe(Scenario.NewRecords.TryGet(Scenario.Ops[0].Cid!.Value, out var created) ? created.ToArray() : []);
        result.Writes[2].Record.IsEmpty.ShouldBeTrue();
    }

    [Fact]
    public void Verify_NoStoredState_IsValid()
    {
        var result = new CommitVerifier().Verify(Scenario.SecondCommitEvent(), Scenario.Key.PublicKey);

        result.IsValid.ShouldBeTrue();
    }

    [Fact]
    public void Verify_SignedByAnotherKey_FailsSignature()
    {
        using var other = AtprotoPrivateKey.FromSeed(KeyAlgorithm.K256, "someone else");
        var forged = Commit.Create(SignedRepositoryScenario.Did, Scenario.After.RootCid, SignedRepositoryScenario.SecondRev, other);

        var result = new CommitVerifier().Verify(Scenario.SecondCommitEvent(forged), Scenario.Key.PublicKey, Scenario.StoredAfterFirst);

        result.FailedCheck.ShouldBe(CommitCheck.Signature);
        result.IsChainBroken.ShouldBeFalse();
    }

    [Fact]
    public void Verify_HighSSignature_FailsSignature()
    {
        var commit = Scenario.SecondCommit;
        var highS = EcdsaSignature.ToHighS(KeyAlgorithm.K256, commit.Signature.Span);
        var malleated = Commit.WithSignature(commit.Did, commit.Data, commit.Rev!, commit.Prev, highS);

        var result = new CommitVerifier().Verify(Scenario.SecondCommitEvent(malleated), Scenario.Key.PublicKey, Scenario.StoredAfterFirst);

        result.FailedCheck.ShouldBe(CommitCheck.Signature);
    }

    [Fact]
    public void Verify_MissingProofNode_FailsInversion()
    {
        var root = Scenario.After.RootCid;
        var event_ = Scenario.SecondCommitEvent(editBlocks: blocks =>
        {
            foreach (var cid in Scenario.Proof.Cids)
            {
                if (cid != root)
                {
                    blocks.Remove(cid);
                    break;
                }
            }

            return blocks;
        });

        var result = new CommitVerifier().Verify(event_, Scenario.Key.PublicKey, Scenario.StoredAfterFirst);

        result.FailedCheck.ShouldBe(CommitCheck.Inversion);
        result.Message.ShouldNotBeNull().ShouldContain("not available");
    }

    [Fact]
    public void Verify_MissingRecordBlock_FailsRecordBlocks()
    {
        var event_ = Scenario.SecondCommitEvent(editBlocks: blocks =>
        {
            blocks.Remove(Scenario.Ops[0].Cid!.Value);
            return blocks;
        });

        var result = new CommitVerifier().Verify(event_, Scenario.Key.PublicKey, Scenario.StoredAfterFirst);

        result.FailedCheck.ShouldBe(CommitCheck.RecordBlocks);
        result.Message.ShouldNotBeNull().ShouldContain(Scenario.Ops[0].Path);
    }

    [Fact]
    public void Verify_EventPrevDataNotTheInvertedRoot_FailsInversion()
    {
        var event_ = Scenario.SecondCommitEvent(prevData: Scenario.After.RootCid);

        var result = new CommitVerifier().Verify(event_, Scenario.Key.PublicKey);

        result.FailedCheck.ShouldBe(CommitCheck.Inversion);
        result.IsChainBroken.ShouldBeFalse();
    }

    [Fact]
    public void Verify_StoredDataDiffersFromPrevData_IsChainBrokenWithWrites()
    {
        var stored = new RepoChainState(SignedRepositoryScenario.FirstRev, Scenario.After.RootCid);

        var result = new CommitVerifier().Verify(Scenario.SecondCommitEvent(), Scenario.Key.PublicKey, stored);

        result.FailedCheck.ShouldBe(CommitCheck.PrevData);
        result.IsChainBroken.ShouldBeTrue();
        result.IsValid.ShouldBeFalse();
        result.Writes.Count.ShouldBe(3);
    }

    [Fact]
    public void Verify_EventRepoIsAnotherDid_FailsDid()
    {
        var event_ = Scenario.SecondCommitEvent() with { Repo = "did:plc:someoneelse234567abcdefg" };

        var result = new CommitVerifier().Verify(event_, Scenario.Key.PublicKey, Scenario.StoredAfterFirst);

        result.FailedCheck.ShouldBe(CommitCheck.Did);
    }

    [Theory]
    [InlineData(SignedRepositoryScenario.SecondRev)]
    [InlineData("3lhhxj2222223")]
    public void Verify_RevNotNewerThanStored_IsStale(string storedRev)
    {
        var stored = new RepoChainState(storedRev, Scenario.Before.RootCid);

        var result = new CommitVerifier().Verify(Scenario.SecondCommitEvent(), Scenario.Key.PublicKey, stored);

        result.FailedCheck.ShouldBe(CommitCheck.RevOrder);
        result.IsStale.ShouldBeTrue();
    }

    [Fact]
    public void Verify_RevDatedBeyondClockDrift_FailsFutureRev()
    {
        var clock = new FixedTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

        var result = new CommitVerifier(timeProvider: clock).Verify(Scenario.SecondCommitEvent(), Scenario.Key.PublicKey, Scenario.StoredAfterFirst);

        result.FailedCheck.ShouldBe(CommitCheck.FutureRev);
    }

    [Fact]
    public void Verify_RevWithinClockDrift_IsValid()
    {
        var revTime = RecordKv.Atproto.Syntax.Tid.Parse(SignedRepositoryScenario.SecondRev).Time;
        var clock = new FixedTimeProvider(revTime - TimeSpan.FromMinutes(4));

        new CommitVerifier(timeProvider: clock).Verify(Scenario.SecondCommitEvent(), Scenario.Key.PublicKey).IsValid.ShouldBeTrue();
    }

    [Fact]
    public void Verify_EventRevDiffersFromCommit_FailsRev()
    {
        var event_ = Scenario.SecondCommitEvent() with { Rev = "3lhhxj2222223" };

        var result = new CommitVerifier().Verify(event_, Scenario.Key.PublicKey, Scenario.StoredAfterFirst);

        result.FailedCheck.ShouldBe(CommitCheck.Rev);
    }

    [Theory]
    [InlineData("")]
    [InlineData("3lhhxj222222")]
    [InlineData("klhhxj2222222")]
    [InlineData("3lhhxj222222A")]
    public void Verify_EventRevNotATid_FailsEventFields(string rev)
    {
        var event_ = Scenario.SecondCommitEvent() with { Rev = rev };

        new CommitVerifier().Verify(event_, Scenario.Key.PublicKey).FailedCheck.ShouldBe(CommitCheck.EventFields);
    }

    [Fact]
    public void Verify_EventCommitCidNotTheRoot_FailsCommitBlock()
    {
        var event_ = Scenario.SecondCommitEvent() with { Commit = Scenario.FirstCommit.ComputeCid() };

        new CommitVerifier().Verify(event_, Scenario.Key.PublicKey).FailedCheck.ShouldBe(CommitCheck.CommitBlock);
    }

    [Fact]
    public void Verify_CorruptedBlock_FailsCar()
    {
        var event_ = Scenario.SecondCommitEvent();
        var corrupted = event_.Blocks.ToArray();
        corrupted[^1] ^= 0x40;

        var result = new CommitVerifier().Verify(event_ with { Blocks = corrupted }, Scenario.Key.PublicKey);

        result.FailedCheck.ShouldBe(CommitCheck.Car);
    }

    [Fact]
    public void Verify_OpsOmitOneChange_FailsInversion()
    {
        var event_ = Scenario.SecondCommitEvent() with { Ops = Scenario.Ops[..2] };

        new CommitVerifier().Verify(event_, Scenario.Key.PublicKey).FailedCheck.ShouldBe(CommitCheck.Inversion);
    }

    [Fact]
    public void Verify_LegacyUpdateWithoutPrev_FailsInversion()
    {
        var ops = Scenario.Ops.ToArray();
        ops[1] = ops[1] with { Prev = null };

        var result = new CommitVerifier().Verify(Scenario.SecondCommitEvent() with { Ops = ops }, Scenario.Key.PublicKey);

        result.FailedCheck.ShouldBe(CommitCheck.Inversion);
        result.Message.ShouldNotBeNull().ShouldContain("legacy");
    }

    [Theory]
    [InlineData(RepoAction.Create, true, true)]
    [InlineData(RepoAction.Delete, true, true)]
    [InlineData(RepoAction.Update, false, true)]
    public void Verify_OpFieldsWrongForAction_FailsOperations(RepoAction action, bool hasCid, bool hasPrev)
    {
        var ops = Scenario.Ops.ToArray();
        var cid = Scenario.Ops[0].Cid;
        ops[0] = new RepoOperation(action, ops[0].Path, hasCid ? cid : null, hasPrev ? cid : null);

        var result = new CommitVerifier().Verify(Scenario.SecondCommitEvent() with { Ops = ops }, Scenario.Key.PublicKey);

        result.FailedCheck.ShouldBe(CommitCheck.Operations);
    }

    [Theory]
    [InlineData("nocollection")]
    [InlineData("/rkey")]
    [InlineData("app.bsky.feed.post/")]
    [InlineData("a/b/c")]
    [InlineData("app.bsky.feed.post/..")]
    [InlineData("not a nsid/3lhhx")]
    public void Verify_BadOpPath_FailsOperations(string path)
    {
        var ops = Scenario.Ops.ToArray();
        ops[0] = ops[0] with { Path = path };

        new CommitVerifier().Verify(Scenario.SecondCommitEvent() with { Ops = ops }, Scenario.Key.PublicKey).FailedCheck.ShouldBe(CommitCheck.Operations);
    }

    [Fact]
    public void Verify_DuplicatePath_FailsOperations()
    {
        var ops = new[] { Scenario.Ops[0], Scenario.Ops[0] };

        new CommitVerifier().Verify(Scenario.SecondCommitEvent() with { Ops = ops }, Scenario.Key.PublicKey).FailedCheck.ShouldBe(CommitCheck.Operations);
    }

    [Fact]
    public void Verify_OverConfiguredLimits_FailsLimits()
    {
        var verifier = new CommitVerifier(new FirehoseLimits { MaxOperations = 2 });

        verifier.Verify(Scenario.SecondCommitEvent(), Scenario.Key.PublicKey).FailedCheck.ShouldBe(CommitCheck.Limits);
        new CommitVerifier(new FirehoseLimits { MaxRecordBytes = 10 })
            .Verify(Scenario.SecondCommitEvent(), Scenario.Key.PublicKey).FailedCheck.ShouldBe(CommitCheck.Limits);
    }

    [Fact]
    public void Verify_V2Commit_FailsVersion()
    {
        var v2 = V2CommitBlock(Scenario.After.RootCid);
        var event_ = Scenario.SecondCommitEvent() with { Commit = Cid.ForDagCbor(v2) };
        var blocks = new BlockMap();
        blocks.Add(Cid.ForDagCbor(v2), v2);
        var slice = CommitEventFactory.CreateCommit(Commit.Decode(v2), Scenario.Ops, blocks, 1, null, null, SignedRepositoryScenario.Time);

        var result = new CommitVerifier().VerifyWithoutSignature(slice);

        result.FailedCheck.ShouldBe(CommitCheck.Version);
        event_.Commit.ShouldBe(slice.Commit);
    }

    private static byte[] V2CommitBlock(Cid data)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var writer = new RecordKv.Atproto.Cbor.DagCborWriter(buffer);
        writer.WriteMapHeader(6);
        writer.WriteText("did"u8);
        writer.WriteText(SignedRepositoryScenario.Did);
        writer.WriteText("rev"u8);
        writer.WriteText(SignedRepositoryScenario.SecondRev);
        writer.WriteText("sig"u8);
        writer.WriteBytes(new byte[64]);
        writer.WriteText("data"u8);
        writer.WriteCid(data);
        writer.WriteText("prev"u8);
        writer.WriteNull();
        writer.WriteText("version"u8);
        writer.WriteInt64(2);
        return buffer.WrittenSpan.ToArray();
    }

    [Fact]
    public void VerifySync_FrameWithSignedCommit_IsValidWithNewRoot()
    {
        var frame = FirehoseFrame.Encode(CommitEventFactory.CreateSync(Scenario.SecondCommit, 43, SignedRepositoryScenario.Time));
        var sync = FirehoseFrame.Decode(frame).ShouldBeOfType<SyncEvent>();

        var result = new CommitVerifier().VerifySync(sync, Scenario.Key.PublicKey, Scenario.StoredAfterFirst);

        result.ToString().ShouldBe("valid");
        result.Commit!.Data.ShouldBe(Scenario.After.RootCid);
        result.Writes.ShouldBeEmpty();
    }

    [Fact]
    public void VerifySync_Tampered_FailsTheRightCheck()
    {
        var sync = CommitEventFactory.CreateSync(Scenario.SecondCommit, 43, SignedRepositoryScenario.Time);
        using var other = AtprotoPrivateKey.FromSeed(KeyAlgorithm.K256, "someone else");
        var verifier = new CommitVerifier();

        verifier.VerifySync(sync, other.PublicKey).FailedCheck.ShouldBe(CommitCheck.Signature);
        verifier.VerifySync(sync with { Did = "did:plc:someoneelse234567abcdefg" }, Scenario.Key.PublicKey).FailedCheck.ShouldBe(CommitCheck.Did);
        verifier.VerifySync(sync with { Rev = "3lhhxj2222223" }, Scenario.Key.PublicKey).FailedCheck.ShouldBe(CommitCheck.Rev);
        verifier.VerifySync(sync, Scenario.Key.PublicKey, new RepoChainState(SignedRepositoryScenario.SecondRev, Scenario.After.RootCid))
            .FailedCheck.ShouldBe(CommitCheck.RevOrder);
        verifier.VerifySync(sync with { Blocks = sync.Blocks[..^1] }, Scenario.Key.PublicKey).FailedCheck.ShouldBe(CommitCheck.Car);
    }

    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
