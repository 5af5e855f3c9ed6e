using System.Diagnostics;
using RecordKv.Testing;
using static RecordKv.Coordination.Tests.CoordinationTestSupport;

namespace RecordKv.Coordination.Tests;

[Collection(CoordinationCollection.Name)]
public sealed class KvLeaseTests(NatsServerFixture fixture)
{
    [Fact]
    public async Task TryAcquireAsync_HeldByAnother_ReturnsNull()
    {
        var token = NatsServerFixture.TestTimeout();
        var (connection, bucket) = await OpenBucketAsync(fixture.Url, token);
        await using var _ = connection;

        await using var first = await new KvLease(bucket, "ingest.lease", "a", FastLease).TryAcquireAsync(token);
        var second = await new KvLease(bucket, "ingest.lease", "b", FastLease).TryAcquireAsync(token);

        first.ShouldNotBeNull();
        second.ShouldBeNull();
        var stored = LeaseRecord.Decode((await bucket.GetAsync("ingest.lease", token))!.Value.Span);
        stored.Holder.ShouldBe("a");
    }

    [Fact]
    public async Task AcquireAsync_HolderKeepsRenewing_StandbyKeepsWaiting()
    {
        var token = NatsServerFixture.TestTimeout();
        var (connection, bucket) = await OpenBucketAsync(fixture.Url, token);
        await using var _ = connection;
        await using var first = await new KvLease(bucket, "ingest.lease", "a", FastLease).AcquireAsync(token);

        using var wait = new CancellationTokenSource(FastLease.Ttl * 3);
        await Should.ThrowAsync<OperationCanceledException>(() => new KvLease(bucket, "ingest.lease", "b", FastLease).AcquireAsync(wait.Token));

        first.IsHeld.ShouldBeTrue();
        first.Revision.ShouldBeGreaterThan(1ul, "the holder renewed while the standby waited");
    }

    [Fact]
    public async Task AcquireAsync_HolderStopsRenewing_StandbyTakesOverWithinTtl()
    {
        var token = NatsServerFixture.TestTimeout();
        var (connection, bucket) = await OpenBucketAsync(fixture.Url, token);
        await using var _ = connection;
        var first = await new KvLease(bucket, "ingest.lease", "a", FastLease).AcquireAsync(token);
        var standby = new KvLease(bucket, "ingest.lease", "b", FastLease).AcquireAsync(token);

        var stopwatch = Stopwatch.StartNew();
        await first.AbandonAsync();
        await using var second = await standby;

        // Within seconds: the TTL plus a renew interval, with slack for a loaded CI machine (the default TTL is far longer).
        stopwatch.Elapsed.ShouldBeLessThan(FastLease.Ttl + FastLease.RenewInterval + TimeSpan.FromSeconds(3));
        second.HolderId.ShouldBe("b");
        first.IsHeld.ShouldBeFalse();
    }

    [Fact]
    public async Task DisposeAsync_CleanShutdown_ReleasesAtOnce()
    {
        var token = NatsServerFixture.TestTimeout();
        var (connection, bucket) = await OpenBucketAsync(fixture.Url, token);
        await using var _ = connection;
        var first = await new KvLease(bucket, "ingest.lease", "a", FastLease).AcquireAsync(token);

        await first.DisposeAsync();
        await using var second = await new KvLease(bucket, "ingest.lease", "b", FastLease).TryAcquireAsync(token);

        second.ShouldNotBeNull();
    }

    [Fact]
    public async Task Lost_KeyOverwrittenByAnother_FiresOnNextRenewal()
    {
        var token = NatsServerFixture.TestTimeout();
        var (connection, bucket) = await OpenBucketAsync(fixture.Url, token);
        await using var _ = connection;
        await using var held = await new KvLease(bucket, "ingest.lease", "a", FastLease).AcquireAsync(token);

        await bucket.PutAsync("ingest.lease", new LeaseRecord("intruder", long.MaxValue).Encode(), cancellationToken: token);
        await TestWait.UntilAsync(() => held.Lost.IsCancellationRequested, token, "the lease to be lost");

        held.IsHeld.ShouldBeFalse();
        LeaseRecord.Decode((await bucket.GetAsync("ingest.lease", token))!.Value.Span).Holder.ShouldBe("intruder");
    }

    [Fact]
    public async Task TryAcquireAsync_TwoContendersAtOnce_ExactlyOneWins()
    {
        var token = NatsServerFixture.TestTimeout();
        var (connection, bucket) = await OpenBucketAsync(fixture.Url, token);
        await using var _ = connection;

        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => new KvLease(bucket, "ingest.lease", "c" + i, FastLease).TryAcquireAsync(token)));

        attempts.Count(a => a is not null).ShouldBe(1);
        foreach (var handle in attempts.OfType<KvLeaseHandle>())
        {
            await handle.DisposeAsync();
        }
    }
}
