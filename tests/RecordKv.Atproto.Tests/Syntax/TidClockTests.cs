using RecordKv.Atproto.Syntax;

namespace RecordKv.Atproto.Tests.Syntax;

public sealed class TidClockTests
{
    [Fact]
    public void Next_ClockStandsStill_StillIncreases()
    {
        var clock = new TidClock(new FixedTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000)), clockId: 7);

        var first = clock.Next();
        var second = clock.Next();
        var third = clock.Next();

        second.ShouldBeGreaterThan(first);
        third.ShouldBeGreaterThan(second);
        first.Timestamp.ShouldBe(1_700_000_000_000_000);
        third.Timestamp.ShouldBe(1_700_000_000_000_002);
        third.ClockId.ShouldBe(7);
    }

    [Fact]
    public void Next_ClockStepsBack_NeverGoesBackwards()
    {
        var time = new FixedTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        var clock = new TidClock(time);
        var before = clock.Next();

        time.Now = time.Now.AddHours(-1);
        var after = clock.Next();

        after.ShouldBeGreaterThan(before);
    }

    [Fact]
    public void Next_ClockAdvances_FollowsIt()
    {
        var time = new FixedTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        var clock = new TidClock(time);
        clock.Next();

        time.Now = time.Now.AddSeconds(5);

        clock.Next().Time.ShouldBe(time.Now);
    }

    [Fact]
    public void AdvancePast_LaterRev_NextIsAfterIt()
    {
        var clock = new TidClock(new FixedTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_600_000_000)));
        var rev = Tid.Create(1_700_000_000_000_000, 1023);

        clock.AdvancePast(rev);

        clock.Next().ShouldBeGreaterThan(rev);
    }

    [Fact]
    public async Task Next_ManyThreads_AllDistinct()
    {
        var clock = new TidClock(new FixedTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000)));
        var workers = Enumerable.Range(0, 4)
            .Select(_ => Task.Run(() => Enumerable.Range(0, 10_000).Select(_ => clock.Next()).ToArray()))
            .ToArray();

        var all = (await Task.WhenAll(workers)).SelectMany(tids => tids).ToArray();

        all.Distinct().Count().ShouldBe(all.Length);
    }

    [Fact]
    public void Constructor_ClockIdOutOfRange_Throws()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new TidClock(clockId: 1024));
    }

    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
