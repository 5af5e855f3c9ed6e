using RecordKv.Testing;
using static RecordKv.Coordination.Tests.CoordinationTestSupport;

namespace RecordKv.Coordination.Tests;

[Collection(CoordinationCollection.Name)]
public sealed class PartitionLeasesTests(NatsServerFixture fixture)
{
    private static PartitionLeasesOptions Member(string id, int partitions = 8) =>
        new() { MemberId = id, PartitionCount = partitions, KeyPrefix = "builder", Lease = FastLease };

    [Fact]
    public async Task StartAsync_OnlyMember_TakesEveryPartition()
    {
        var token = NatsServerFixture.TestTimeout();
        var (connection, bucket) = await OpenBucketAsync(fixture.Url, token);
        await using var _ = connection;
        await using var member = new PartitionLeases(bucket, Member("m1"));

        await member.StartAsync(token);

        member.HeldPartitions.ShouldBe([0, 1, 2, 3, 4, 5, 6, 7]);
        var gained = new List<int>();
        while (member.Changes.TryRead(out var change))
        {
            change.Gained.ShouldBeTrue();
            gained.Add(change.Partition);
        }

        gained.Order().ShouldBe([0, 1, 2, 3, 4, 5, 6, 7]);
        LeaseRecord.Decode((await bucket.GetAsync("builder.lease.3", token))!.Value.Span).Holder.ShouldBe("m1");
    }

    [Fact]
    public async Task Rounds_MemberJoins_SharesRebalanceWithoutOverlap()
    {
        var token = NatsServerFixture.TestTimeout();
        var (connection, bucket) = await OpenBucketAsync(fixture.Url, token);
        await using var _ = connection;
        await using var first = new PartitionLeases(bucket, Member("m1"));
        await first.StartAsync(token);
        var lostByFirst = first.HeldPartitions.ToDictionary(p => p, _ => CancellationToken.None);
        while (first.Changes.TryRead(out var change))
        {
            lostByFirst[change.Partition] = change.Lease;
        }

        await using var second = new PartitionLeases(bucket, Member("m2"));
        await second.StartAsync(token);
        await TestWait.UntilAsync(() => first.HeldPartitions.Count == 4 && second.HeldPartitions.Count == 4, token, "an even split");

        first.HeldPartitions.Intersect(second.HeldPartitions).ShouldBeEmpty();
        foreach (var partition in second.HeldPartitions)
        {
            lostByFirst[partition].IsCancellationRequested.ShouldBeTrue($"partition {partition}'s lease token of the first member is cancelled");
        }
    }

    [Fact]
    public async Task Rounds_MemberDies_SurvivorTakesItsPartitions()
    {
        var token = NatsServerFixture.TestTimeout();
        var (connection, bucket) = await OpenBucketAsync(fixture.Url, token);
        await using var _ = connection;
        await using var first = new PartitionLeases(bucket, Member("m1", 6));
        await using var second = new PartitionLeases(bucket, Member("m2", 6));
        await first.StartAsync(token);
        await second.StartAsync(token);
        await TestWait.UntilAsync(() => first.HeldPartitions.Count == 3 && second.HeldPartitions.Count == 3, token, "an even split");

        await second.AbandonAsync();
        await TestWait.UntilAsync(() => first.HeldPartitions.Count == 6, token, "the survivor to hold everything");

        first.LiveMembers.ShouldBe(1);
    }

    [Fact]
    public async Task StopAsync_CleanLeave_ReleasesForOthersAtOnce()
    {
        var token = NatsServerFixture.TestTimeout();
        var (connection, bucket) = await OpenBucketAsync(fixture.Url, token);
        await using var _ = connection;
        var first = new PartitionLeases(bucket, Member("m1", 4));
        await first.StartAsync(token);

        await first.DisposeAsync();
        await using var second = new PartitionLeases(bucket, Member("m2", 4));
        await second.StartAsync(token);

        second.HeldPartitions.ShouldBe([0, 1, 2, 3]);
        first.HeldPartitions.ShouldBeEmpty();
    }

    [Fact]
    public async Task Rounds_ThreeMembersSevenPartitions_EveryPartitionHeldOnce()
    {
        var token = NatsServerFixture.TestTimeout();
        var (connection, bucket) = await OpenBucketAsync(fixture.Url, token);
        await using var _ = connection;
        var members = new[] { new PartitionLeases(bucket, Member("a", 7)), new PartitionLeases(bucket, Member("b", 7)), new PartitionLeases(bucket, Member("c", 7)) };
        try
        {
            foreach (var member in members)
            {
                await member.StartAsync(token);
            }

            await TestWait.UntilAsync(() => members.Sum(m => m.HeldPartitions.Count) == 7 && members.All(m => m.HeldPartitions.Count >= 2), token, "a 3/2/2 split");

            members.SelectMany(m => m.HeldPartitions).Order().ShouldBe([0, 1, 2, 3, 4, 5, 6]);
        }
        finally
        {
            foreach (var member in members)
            {
                await member.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Rounds_ReleaseAfterStopConfirmed_KeepsGivenUpLeasesUntilConfirmed()
    {
        var token = NatsServerFixture.TestTimeout();
        var (connection, bucket) = await OpenBucketAsync(fixture.Url, token);
        await using var _ = connection;
        await using var first = new PartitionLeases(bucket, Member("m1") with { ReleaseAfterStopConfirmed = true });
        await first.StartAsync(token);
        while (first.Changes.TryRead(out var gained))
        {
            gained.Gained.ShouldBeTrue();
        }

        await using var second = new PartitionLeases(bucket, Member("m2"));
        await second.StartAsync(token);
        var stopping = new List<PartitionLeaseChange>();
        while (stopping.Count < 4)
        {
            var change = await first.Changes.ReadAsync(token);
            change.Gained.ShouldBeFalse();
            stopping.Add(change);
        }

        // Several rounds later the given-up partitions are still held (and renewed) by the first member.
        await WaitForRenewalsAsync(bucket, LeaseKey(stopping[0].Partition), 3, token);
        foreach (var change in stopping)
        {
            change.Lease.IsCancellationRequested.ShouldBeFalse("a partition being stopped keeps its lease token");
            LeaseRecord.Decode((await bucket.GetAsync(LeaseKey(change.Partition), token))!.Value.Span).Holder.ShouldBe("m1");
        }

        first.HeldPartitions.Count.ShouldBe(8);
        second.HeldPartitions.ShouldBeEmpty();

        foreach (var change in stopping)
        {
            first.ConfirmStopped(change.Partition, change.Lease);
        }

        await TestWait.UntilAsync(() => first.HeldPartitions.Count == 4 && second.HeldPartitions.Count == 4, token, "an even split after the confirmations");
        second.HeldPartitions.Order().ShouldBe(stopping.Select(change => change.Partition).Order());
    }

    [Fact]
    public async Task Rounds_TwoLiveKeysNameTheSameMember_NeitherKeyIsDeleted()
    {
        // What a key listing racing a heartbeat looks like: the same live member twice. It counts once, and is kept.
        var token = NatsServerFixture.TestTimeout();
        var (connection, bucket) = await OpenBucketAsync(fixture.Url, token);
        await using var _ = connection;
        await using var member = new PartitionLeases(bucket, Member("m1"));
        await member.StartAsync(token);
        var alias = PartitionLeases.MemberKey("builder", "m1-alias");
        await bucket.PutAsync(alias, new LeaseRecord("m1", DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeMilliseconds()).Encode(), cancellationToken: token);

        await WaitForRenewalsAsync(bucket, LeaseKey(0), 3, token);

        (await bucket.GetAsync(alias, token)).ShouldNotBeNull("the live duplicate's key is kept");
        (await bucket.GetAsync(PartitionLeases.MemberKey("builder", "m1"), token)).ShouldNotBeNull("the member's own key is kept");
        member.LiveMembers.ShouldBe(1);
        member.HeldPartitions.Count.ShouldBe(8);
    }

    private static string LeaseKey(int partition) => PartitionLeases.LeaseKey("builder", partition);

    // Rounds pass: the key is seen at more than `renewals` distinct revisions.
    private static async Task WaitForRenewalsAsync(RecordKv.Nats.KeyValue.NatsKvStore bucket, string key, int renewals, CancellationToken token)
    {
        var seen = new HashSet<ulong>();
        await TestWait.UntilAsync(
            async () =>
            {
                if (await bucket.GetEntryAsync(key, token) is { } entry)
                {
                    seen.Add(entry.Revision);
                }

                return seen.Count > renewals;
            },
            token,
            $"{renewals} renewals of {key}");
    }
}
