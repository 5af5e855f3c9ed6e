using System.Text;
using RecordKv.Atproto.Syntax;

namespace RecordKv.Atproto.Tests.Syntax;

public sealed class TidTests
{
    public static TheoryData<string> InteropValid => InteropSyntaxFixtures.Lines("tid_syntax_valid.txt");

    public static TheoryData<string> InteropInvalid => InteropSyntaxFixtures.Lines("tid_syntax_invalid.txt");

    [Theory]
    [MemberData(nameof(InteropValid))]
    public void Parse_InteropValid_RoundTrips(string line)
    {
        Tid.Parse(line).ToString().ShouldBe(line);
        Tid.Parse(Encoding.UTF8.GetBytes(line)).ToString().ShouldBe(line);
    }

    [Theory]
    [MemberData(nameof(InteropInvalid))]
    public void TryParse_InteropInvalid_Fails(string line)
    {
        Tid.TryParse(line, out _).ShouldBeFalse();
        Tid.IsValid(Encoding.UTF8.GetBytes(line)).ShouldBeFalse();
        Should.Throw<SyntaxFormatException>(() => Tid.Parse(line)).Kind.ShouldBe(SyntaxKind.Tid);
    }

    [Fact]
    public void Create_TimestampAndClockId_RoundTripThroughText()
    {
        var tid = Tid.Create(1_700_000_000_123_456, 42);

        var parsed = Tid.Parse(tid.ToString());

        parsed.Timestamp.ShouldBe(1_700_000_000_123_456);
        parsed.ClockId.ShouldBe(42);
        parsed.Time.ShouldBe(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123).AddTicks(4560));
    }

    [Fact]
    public void Parse_SpecExample_DecodesTimestampAndClockId()
    {
        // The spec's example TID; expected values computed independently (Python, base32-sortable by hand).
        var tid = Tid.Parse("3jzfcijpj2z2a");

        tid.Value.ShouldBe(0x17FD6873EAF07C06UL);
        tid.Timestamp.ShouldBe(1_688_137_381_887_007);
        tid.ClockId.ShouldBe(6);
        tid.Time.ShouldBe(new DateTimeOffset(2023, 6, 30, 15, 3, 1, TimeSpan.Zero).AddTicks(8_870_070));
    }

    [Fact]
    public void CompareTo_LaterTimestamp_SortsAfterAsTextToo()
    {
        var earlier = Tid.Create(1_000, 1023);
        var later = Tid.Create(1_001, 0);

        (earlier < later).ShouldBeTrue();
        string.CompareOrdinal(earlier.ToString(), later.ToString()).ShouldBeLessThan(0);
    }

    [Fact]
    public void TryFormat_Utf8_WritesThirteenBytes()
    {
        var tid = Tid.Parse("3jzfcijpj2z2a");
        Span<byte> buffer = stackalloc byte[16];

        tid.TryFormat(buffer, out var written).ShouldBeTrue();

        Encoding.ASCII.GetString(buffer[..written]).ShouldBe("3jzfcijpj2z2a");
        tid.TryFormat(buffer[..12], out _).ShouldBeFalse();
    }

    [Theory]
    [InlineData(-1L, 0)]
    [InlineData(Tid.MaxTimestamp + 1, 0)]
    [InlineData(0L, 1024)]
    public void Create_OutOfRange_Throws(long timestamp, int clockId)
    {
        Should.Throw<ArgumentOutOfRangeException>(() => Tid.Create(timestamp, clockId));
    }
}
