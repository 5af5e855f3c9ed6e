namespace RecordKv.Builder.Tests;

public sealed class ResyncRetryScheduleTests
{
    private sealed class ManualTime : TimeProvider
    {
        public long Now { get; set; }

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Now;

        public void Advance(TimeSpan by) => Now += by.Ticks;
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(6, 30)]
    [InlineData(100, 30)]
    public void BaseDelay_Attempt_DoublesUpToTheMaximum(int attempt, int expectedSeconds)
    {
        var schedule = new ResyncRetrySchedule(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));

        schedule.BaseDelay(attempt).ShouldBe(TimeSpan.FromSeconds(expectedSeconds));
    }

    [Fact]
    public void TakeDue_BeforeAndAfterTheDelay_HandsTheDidOutOnceDue()
    {
        var time = new ManualTime();
        var schedule = new ResyncRetrySchedule(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), time);
        var scheduled = schedule.Schedule("did:plc:a", force: false);
        scheduled.ShouldNotBeNull();
        scheduled.Value.Attempt.ShouldBe(1);
        scheduled.Value.Delay.ShouldBeInRange(TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1.5));
        var due = new List<string>();

        schedule.TakeDue(due);
        due.ShouldBeEmpty();

        time.Advance(TimeSpan.FromSeconds(1.5));
        schedule.TakeDue(due);
        due.ShouldBe(["did:plc:a"]);
        schedule.Pending.ShouldBe(1, "pending until the retry succeeds or is rescheduled");
    }

    [Fact]
    public void Schedule_AlreadyScheduled_KeepsTheBackoffUnlessForced()
    {
        var time = new ManualTime();
        var schedule = new ResyncRetrySchedule(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), time);
        schedule.Schedule("did:plc:a", force: false);

        schedule.Schedule("did:plc:a", force: false).ShouldBeNull();
        var next = schedule.Schedule("did:plc:a", force: true);

        next.ShouldNotBeNull();
        next.Value.Attempt.ShouldBe(2);
        next.Value.Delay.ShouldBeInRange(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));
        time.Advance(TimeSpan.FromSeconds(3.1));
        var due = new List<string>();
        schedule.TakeDue(due);
        due.ShouldBe(["did:plc:a"], "the first, superseded entry is skipped: the DID is handed out once");
    }

    [Fact]
    public void Clear_Scheduled_NotHandedOut()
    {
        var time = new ManualTime();
        var schedule = new ResyncRetrySchedule(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), time);
        schedule.Schedule("did:plc:a", force: false);

        schedule.Clear("did:plc:a");
        time.Advance(TimeSpan.FromMinutes(1));
        var due = new List<string>();
        schedule.TakeDue(due);

        due.ShouldBeEmpty();
        schedule.Pending.ShouldBe(0);
    }
}
