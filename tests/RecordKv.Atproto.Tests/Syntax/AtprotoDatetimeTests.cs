using System.Text;
using RecordKv.Atproto.Syntax;

namespace RecordKv.Atproto.Tests.Syntax;

public sealed class AtprotoDatetimeTests
{
    public static TheoryData<string> InteropValid => InteropSyntaxFixtures.Lines("datetime_syntax_valid.txt");

    public static TheoryData<string> InteropInvalid => InteropSyntaxFixtures.Lines("datetime_syntax_invalid.txt");

    public static TheoryData<string> InteropParseInvalid => InteropSyntaxFixtures.Lines("datetime_parse_invalid.txt");

    [Theory]
    [MemberData(nameof(InteropValid))]
    public void Parse_InteropValid_KeepsText(string line)
    {
        AtprotoDatetime.Parse(line).ToString().ShouldBe(line);
        AtprotoDatetime.Parse(Encoding.UTF8.GetBytes(line)).Value.ShouldBe(line);
        AtprotoDatetime.IsWellFormed(line).ShouldBeTrue();
    }

    [Theory]
    [MemberData(nameof(InteropInvalid))]
    public void IsWellFormed_InteropInvalid_IsFalse(string line)
    {
        AtprotoDatetime.IsWellFormed(line).ShouldBeFalse();
        AtprotoDatetime.IsWellFormed(Encoding.UTF8.GetBytes(line)).ShouldBeFalse();
        AtprotoDatetime.TryParse(line, out _).ShouldBeFalse();
    }

    [Theory]
    [MemberData(nameof(InteropParseInvalid))]
    public void Parse_InteropParseInvalid_WellFormedButRejected(string line)
    {
        AtprotoDatetime.IsWellFormed(line).ShouldBeTrue();
        AtprotoDatetime.TryParse(line, out _).ShouldBeFalse();
        Should.Throw<SyntaxFormatException>(() => AtprotoDatetime.Parse(line)).Kind.ShouldBe(SyntaxKind.Datetime);
    }

    [Theory]
    [InlineData("1985-04-12T23:20:50.123Z", "1985-04-12T23:20:50.1230000+00:00")]
    [InlineData("1985-04-12T23:20:50.123-07:00", "1985-04-13T06:20:50.1230000+00:00")]
    [InlineData("1985-04-12T23:20:50.123+01:45", "1985-04-12T21:35:50.1230000+00:00")]
    [InlineData("1985-04-12T23:20:50.123456789Z", "1985-04-12T23:20:50.1234567+00:00")]
    [InlineData("2024-02-29T00:00:00Z", "2024-02-29T00:00:00.0000000+00:00")]
    [InlineData("0001-01-01T00:00:00Z", "0001-01-01T00:00:00.0000000+00:00")]
    public void TryGetDateTimeOffset_Valid_GivesTheUtcInstant(string text, string expectedRoundTrip)
    {
        AtprotoDatetime.Parse(text).TryGetDateTimeOffset(out var time).ShouldBeTrue();

        time.ToString("O", System.Globalization.CultureInfo.InvariantCulture).ShouldBe(expectedRoundTrip);
    }

    [Fact]
    public void UtcTicks_YearZero_IsBeforeDateTimeRange()
    {
        var yearZero = AtprotoDatetime.Parse("0000-12-31T23:00:00.000Z");

        yearZero.UtcTicks.ShouldBe(-TimeSpan.TicksPerHour);
        yearZero.TryGetDateTimeOffset(out _).ShouldBeFalse();
    }

    [Theory]
    [InlineData("2023-02-29T00:00:00Z", "day")]
    [InlineData("1900-02-29T00:00:00Z", "day")]
    [InlineData("1985-04-31T00:00:00Z", "day")]
    [InlineData("1985-04-12T23:59:60Z", "second")]
    [InlineData("1985-04-12T23:20:50.123-00:00", "-00:00")]
    [InlineData("1985-04-12T23:20:50.123", "time zone")]
    [InlineData("1985-04-12t23:20:50Z", "'T'")]
    public void Parse_Invalid_ReasonSaysWhy(string text, string expectedInReason)
    {
        Should.Throw<SyntaxFormatException>(() => AtprotoDatetime.Parse(text)).Reason.ShouldContain(expectedInReason);
    }

    [Fact]
    public void FromDateTimeOffset_Instant_UsesPreferredMillisecondForm()
    {
        var time = new DateTimeOffset(2024, 5, 6, 7, 8, 9, 123, TimeSpan.FromHours(2)).AddTicks(4567);

        var datetime = AtprotoDatetime.FromDateTimeOffset(time);

        datetime.Value.ShouldBe("2024-05-06T05:08:09.123Z");
        AtprotoDatetime.Parse(datetime.Value).ShouldBe(datetime);
    }
}
