using System.Text;
using RecordKv.Atproto.Syntax;

namespace RecordKv.Atproto.Tests.Syntax;

public sealed class RecordKeyTests
{
    public static TheoryData<string> InteropValid => InteropSyntaxFixtures.Lines("recordkey_syntax_valid.txt");

    public static TheoryData<string> InteropInvalid => InteropSyntaxFixtures.Lines("recordkey_syntax_invalid.txt");

    [Theory]
    [MemberData(nameof(InteropValid))]
    public void Parse_InteropValid_RoundTrips(string line)
    {
        RecordKey.Parse(line).ToString().ShouldBe(line);
        RecordKey.Parse(Encoding.UTF8.GetBytes(line)).Value.ShouldBe(line);
    }

    [Theory]
    [MemberData(nameof(InteropInvalid))]
    public void TryParse_InteropInvalid_Fails(string line)
    {
        RecordKey.TryParse(line, out _).ShouldBeFalse();
        RecordKey.IsValid(Encoding.UTF8.GetBytes(line)).ShouldBeFalse();
    }

    // "#extra" is in the invalid list but the fixture format reads it as a comment, so it is tested here.
    [Theory]
    [InlineData("#extra")]
    [InlineData("")]
    [InlineData("a/b")]
    public void TryParse_Invalid_Fails(string text)
    {
        RecordKey.TryParse(text, out _).ShouldBeFalse();
    }
}
