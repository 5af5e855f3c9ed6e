using RecordKv.Nats.JetStream;

namespace RecordKv.Nats.Tests.JetStream;

public sealed class JetStreamTimeTests
{
    [Theory]
    [InlineData("2026-11-22T01:02:03.123456789Z", 2026, 11, 22, 1, 2, 3, 1234567)]
    [InlineData("2026-11-22T01:02:03Z", 2026, 11, 22, 1, 2, 3, 0)]
    [InlineData("2026-11-22T01:02:03.5Z", 2026, 11, 22, 1, 2, 3, 5000000)]
    public void ParseOrDefault_Rfc3339Nano_TruncatesToTicks(string text, int year, int month, int day, int hour, int minute, int second, int ticks)
    {
        JetStreamTime.ParseOrDefault(text).ShouldBe(new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero).AddTicks(ticks));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("yesterday")]
    public void ParseOrDefault_Unparsable_ReturnsDefault(string? text)
    {
        JetStreamTime.ParseOrDefault(text).ShouldBe(default);
    }
}
