using RecordKv.Atproto.Firehose;

namespace RecordKv.Builder.Tests;

public sealed class EventDecisionsTests
{
    private const string StoredRev = "3lenax33bet2f";
    private const string StoredData = "bafyreistoreddata";

    private static RepoState Stored(string syncState = RepoSyncStates.Synchronized, string status = RepoStatuses.Active) =>
        new() { Rev = StoredRev, Data = StoredData, SyncState = syncState, Status = status };

    [Theory]
    [InlineData("3lenax33bet2f", "Behind")] // the stored rev itself: a redelivery
    [InlineData("3lenax33aj22f", "Behind")] // older: a resync carried the repository past it
    [InlineData("3lenax33bze2f", "Apply")]
    public void ForVerifiedCommit_RevAgainstStoredRev_BehindUnlessNewer(string rev, string expected)
    {
        EventDecisions.ForVerifiedCommit(Stored(), rev, StoredData, signedBySupersededKey: false).ShouldBe(Enum.Parse<CommitDecision>(expected));
    }

    [Fact]
    public void ForVerifiedCommit_PrevDataNotStoredData_ChainBroken()
    {
        EventDecisions.ForVerifiedCommit(Stored(), "3lenax33bze2f", "bafyreisomethingelse", signedBySupersededKey: false).ShouldBe(CommitDecision.ChainBroken);
    }

    [Fact]
    public void ForVerifiedCommit_BehindAndChainBroken_RevGuardComesFirst()
    {
        EventDecisions.ForVerifiedCommit(Stored(), "3lenax33aj22f", "bafyreisomethingelse", signedBySupersededKey: false).ShouldBe(CommitDecision.Behind);
    }

    [Theory]
    [InlineData("3lenax33aj22f", StoredData, "Behind")]
    [InlineData("3lenax33bze2f", "bafyreisomethingelse", "ChainBroken")]
    [InlineData("3lenax33bze2f", StoredData, "RejectSupersededKey")]
    public void ForVerifiedCommit_SignedBySupersededKey_NeverApplied(string rev, string previousData, string expected)
    {
        EventDecisions.ForVerifiedCommit(Stored(), rev, previousData, signedBySupersededKey: true).ShouldBe(Enum.Parse<CommitDecision>(expected));
    }

    [Fact]
    public void ForVerifiedCommit_NoStoredState_Apply()
    {
        EventDecisions.ForVerifiedCommit(null, "3lenax33bze2f", "bafyreianything", signedBySupersededKey: false).ShouldBe(CommitDecision.Apply);
    }

    [Theory]
    [InlineData(null, null, true, false)] // a repository's very first commit
    [InlineData(null, "3lenax33aj22f", true, true)] // first seen mid-history
    [InlineData(null, "3lenax33aj22f", false, false)] // ... unless configured not to
    [InlineData(RepoSyncStates.Synchronized, "3lenax33aj22f", true, false)]
    [InlineData(RepoSyncStates.Desynchronized, "3lenax33aj22f", true, true)]
    [InlineData(RepoSyncStates.Resyncing, null, false, true)]
    public void NeedsResyncFirst_StateAndSince_ResyncsWhenTheStoreCannotFollow(string? syncState, string? since, bool resyncUnknown, bool expected)
    {
        var state = syncState is null ? null : Stored(syncState);

        EventDecisions.NeedsResyncFirst(state, since, resyncUnknown).ShouldBe(expected);
    }

    [Fact]
    public void IsReplay_RevNotAboveHighestVerified_True()
    {
        var track = new RepoTrack(null);
        track.SawVerified("3lenax33bze2f");

        EventDecisions.IsReplay("3lenax33bze2f", track).ShouldBeTrue();
        EventDecisions.IsReplay("3lenax33bet2f", track).ShouldBeTrue();
        EventDecisions.IsReplay("3lenax33tx42f", track).ShouldBeFalse();
        EventDecisions.IsReplay("3lenax33tx42f", new RepoTrack(null)).ShouldBeFalse();
    }

    [Fact]
    public void IsGap_SinceIsNotThePreviousRevOnTheStream_True()
    {
        var track = new RepoTrack(null);
        EventDecisions.IsGap("3lenax33aj22f", track).ShouldBeFalse("nothing seen yet: undecidable");
        track.SawVerified("3lenax33bet2f");

        EventDecisions.IsGap("3lenax33bet2f", track).ShouldBeFalse();
        EventDecisions.IsGap("3lenax33bze2f", track).ShouldBeTrue();
        EventDecisions.IsGap(null, track).ShouldBeTrue();
    }

    [Fact]
    public void IsGap_AfterAnUnreadableEvent_Undecidable()
    {
        var track = new RepoTrack(null);
        track.SawVerified("3lenax33bet2f");
        track.LastStreamRev = null;

        EventDecisions.IsGap("3lenax33bze2f", track).ShouldBeFalse();
    }

    [Theory]
    [InlineData("3lenax33aj22f", true, StoredData, "Behind")]
    [InlineData("3lenax33bze2f", true, StoredData, "Apply")] // same root: rev and commit follow
    [InlineData("3lenax33bze2f", true, "bafyreinewroot", "ChainBroken")] // new root: resync
    [InlineData("3lenax33bze2f", false, StoredData, "ChainBroken")] // desynchronized: resync
    public void ForVerifiedSync_RootAndState_Decides(string rev, bool synchronized, string data, string expected)
    {
        var state = Stored(synchronized ? RepoSyncStates.Synchronized : RepoSyncStates.Desynchronized);

        EventDecisions.ForVerifiedSync(state, rev, data).ShouldBe(Enum.Parse<CommitDecision>(expected));
    }

    [Fact]
    public void ForVerifiedSync_UnknownRepository_Resyncs()
    {
        EventDecisions.ForVerifiedSync(null, "3lenax33bze2f", StoredData).ShouldBe(CommitDecision.ChainBroken);
    }

    [Theory]
    [InlineData(RepoStatuses.Active, false, "deleted", true, "RemoveRecords")]
    [InlineData(RepoStatuses.Active, false, "deleted", false, "RemoveRecords")]
    [InlineData(RepoStatuses.Active, false, "deactivated", true, "RemoveRecords")]
    [InlineData(RepoStatuses.Active, false, "takendown", false, "RecordStatus")]
    [InlineData(RepoStatuses.Active, true, "active", true, "None")]
    [InlineData("deactivated", true, "active", true, "ReactivateAndResync")]
    [InlineData("deactivated", true, "active", false, "Reactivate")]
    [InlineData("deleted", true, "active", false, "ReactivateAndResync")]
    public void ForAccount_StatusAndHiding_Decides(string storedStatus, bool active, string status, bool hide, string expected)
    {
        EventDecisions.ForAccount(Stored(status: storedStatus), active, status, hide).ShouldBe(Enum.Parse<AccountDecision>(expected));
    }

    [Fact]
    public void ForAccount_UnknownRepositoryActive_None()
    {
        EventDecisions.ForAccount(null, active: true, RepoStatuses.Active, hideInactiveAccounts: true).ShouldBe(AccountDecision.None);
    }

    [Theory]
    [InlineData(null, "deactivated")]
    [InlineData("", "deactivated")]
    [InlineData("suspended", "suspended")]
    public void InactiveStatus_MissingStatus_Deactivated(string? status, string expected)
    {
        var account = new AccountEvent { Seq = 1, Did = "did:plc:ewvi7nxzyoun6zhxrhs64oiz", Time = "2024-01-01T00:00:00Z", Active = false, Status = status };

        EventDecisions.InactiveStatus(account).ShouldBe(expected);
    }

    [Theory]
    [InlineData(RepoStatuses.Active, true, true)]
    [InlineData("deactivated", true, false)]
    [InlineData("deactivated", false, true)]
    public void AreRecordsVisible_StatusAndHiding_Decides(string status, bool hide, bool expected)
    {
        EventDecisions.AreRecordsVisible(Stored(status: status), hide).ShouldBe(expected);
        EventDecisions.AreRecordsVisible(null, hide).ShouldBeTrue();
    }

    [Theory]
    [InlineData(RepoSyncStates.Desynchronized, RepoStatuses.Active, true)]
    [InlineData(RepoSyncStates.Synchronized, RepoStatuses.Active, false)]
    [InlineData(RepoSyncStates.Desynchronized, "deactivated", false)] // reactivation resyncs it
    [InlineData(RepoSyncStates.Desynchronized, RepoStatuses.Deleted, false)]
    public void ShouldRetryResync_State_RetriesOnlyVisibleDesynchronized(string syncState, string status, bool expected)
    {
        EventDecisions.ShouldRetryResync(Stored(syncState, status), hideInactiveAccounts: true).ShouldBe(expected);
    }
}
