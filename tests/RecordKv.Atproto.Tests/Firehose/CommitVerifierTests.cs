using RecordKv.Atproto.Cids;
using RecordKv.Atproto.Firehose;

namespace RecordKv.Atproto.Tests.Firehose;

public sealed class CommitVerifierTests
{
    [Fact]
    public void VerifyWithoutSignature_CapturedSync11Commit_PassesAndInverts()
    {
        var commit = FirehoseFixtures.LoadCommit(4623075231);

        var result = new CommitVerifier().VerifyWithoutSignature(commit);

        result.ToString().ShouldBe("valid");
        result.Commit!.Did.ShouldBe("did:plc:sxtoas2sxjv6gh2bibdg3g4b");
        // @atproto/repo 0.8.13 inverts this commit to the same root (deleting the only top-layer key collapses the tree).
        result.PreviousData.ShouldBe(Cid.Parse("bafyreicfeeojgjj7gtgl6go25tk5jmcuoytjp5hhulbdd7gwzk7gtqw3ka"));
        result.Writes.Count.ShouldBe(1);
        result.Writes[0].Collection.ShouldBe("app.bsky.actor.profile");
        result.Writes[0].RecordKey.ShouldBe("self");
        result.Writes[0].Action.ShouldBe(RepoAction.Create);
        result.Writes[0].Cid.ShouldBe(commit.Ops[0].Cid);
        result.Writes[0].Record.Length.ShouldBeGreaterThan(0);
    }

    [Theory]
    [InlineData(4621317030, "bafyreib53rpa22j37zopupxk73qcavwws26nfnrww3iqjrhrzvcqfv54de")]
    [InlineData(4621317332, "bafyreihakg2pbt4behbphrpcx3u5hz5eziqsbudhlfsoda5eab6hixl3ea")]
    public void VerifyWithoutSignature_CapturedBridgeCommitsLackingProofNodes_FailInversionNamingTheBlock(long seq, string missingBlock)
    {
        // These came from a bridging PDS before sync 1.1; @atproto/repo 0.8.13 misses the same block inverting them.
        var commit = FirehoseFixtures.LoadCommit(seq);

        var result = new CommitVerifier().VerifyWithoutSignature(commit);

        result.FailedCheck.ShouldBe(CommitCheck.Inversion);
        result.Message.ShouldNotBeNull().ShouldContain(missingBlock);
        result.Writes.ShouldBeEmpty();
    }

    [Fact]
    public void VerifyWithoutSignature_CapturedBridgeCommitWith42Creates_Inverts()
    {
        var commit = FirehoseFixtures.LoadCommit(4621332152);

        var result = new CommitVerifier().VerifyWithoutSignature(commit);

        result.ToString().ShouldBe("valid");
        result.Writes.Count.ShouldBe(commit.Ops.Count);
        commit.Ops.Count.ShouldBe(42);
        result.Writes.ShouldAllBe(w => w.Collection == "app.bsky.graph.follow" && w.Action == RepoAction.Create && w.Record.Length > 0);
    }
}
