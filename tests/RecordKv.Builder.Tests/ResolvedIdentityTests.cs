using RecordKv.Atproto.Crypto;
using RecordKv.Atproto.Identity;

namespace RecordKv.Builder.Tests;

public sealed class ResolvedIdentityTests
{
    private const string Did = "did:plc:ewvi7nxzyoun6zhxrhs64oiz";

    private static AtprotoPublicKey Key(int n) => AtprotoPrivateKey.FromSeed(KeyAlgorithm.K256, $"resolved-identity-test/{n}").PublicKey;

    private static ResolvedIdentity Identity(int key) => new(
        DidDocument.Parse($$"""
            {"id":"{{Did}}","verificationMethod":[{"id":"{{Did}}#atproto","type":"Multikey","controller":"{{Did}}","publicKeyMultibase":"{{Key(key).ToMultikey()}}"}]}
            """),
        DateTimeOffset.UnixEpoch);

    [Fact]
    public void MayRefetchForSignatureFailure_NeverRefetched_Allows()
    {
        Identity(0).MayRefetchForSignatureFailure(DateTimeOffset.UnixEpoch, TimeSpan.FromSeconds(30)).ShouldBeTrue();
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(29, false)]
    [InlineData(30, true)]
    [InlineData(3600, true)]
    public void MayRefetchForSignatureFailure_RefetchedBefore_AllowsOncePerInterval(int secondsLater, bool allowed)
    {
        var refetchedAt = DateTimeOffset.UnixEpoch.AddHours(1);
        var identity = Identity(0) with { RefetchedForSignatureFailureAt = refetchedAt };

        identity.MayRefetchForSignatureFailure(refetchedAt.AddSeconds(secondsLater), TimeSpan.FromSeconds(30)).ShouldBe(allowed);
    }

    [Fact]
    public void Succeed_KeyRotated_RemembersTheFormerKey()
    {
        var next = Identity(0).Succeed(Identity(1));

        next.Document.SigningKey.ShouldBe(Key(1));
        next.FormerKeys.ShouldBe([Key(0)]);
    }

    [Fact]
    public void Succeed_SameKey_CarriesFormerKeysOver()
    {
        var rotated = Identity(0).Succeed(Identity(1));

        var refreshed = rotated.Succeed(Identity(1));

        refreshed.FormerKeys.ShouldBe([Key(0)]);
    }

    [Fact]
    public void Succeed_ManyRotations_KeepsTheNewestFormerKeysOnly()
    {
        var identity = Identity(0);
        for (var key = 1; key <= 6; key++)
        {
            identity = identity.Succeed(Identity(key));
        }

        identity.FormerKeys.ShouldBe([Key(5), Key(4), Key(3), Key(2)]);
    }

    [Fact]
    public void Succeed_RotatedBackToAFormerKey_DoesNotListTheCurrentKey()
    {
        var identity = Identity(0).Succeed(Identity(1)).Succeed(Identity(0));

        identity.FormerKeys.ShouldBe([Key(1)]);
    }
}
