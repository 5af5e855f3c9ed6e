using System.Text;
using RecordKv.Atproto.Syntax;

namespace RecordKv.Atproto.Tests.Syntax;

public sealed class HandleTests
{
    public static TheoryData<string> InteropValid => InteropSyntaxFixtures.Lines("handle_syntax_valid.txt");

    public static TheoryData<string> InteropInvalid => InteropSyntaxFixtures.Lines("handle_syntax_invalid.txt");

    [Theory]
    [MemberData(nameof(InteropValid))]
    public void Parse_InteropValid_RoundTrips(string line)
    {
        Handle.Parse(line).ToString().ShouldBe(line);
        Handle.Parse(Encoding.UTF8.GetBytes(line)).Value.ShouldBe(line);
    }

    [Theory]
    [MemberData(nameof(InteropInvalid))]
    public void TryParse_InteropInvalid_Fails(string line)
    {
        Handle.TryParse(line, out _).ShouldBeFalse();
        Handle.IsValid(Encoding.UTF8.GetBytes(line)).ShouldBeFalse();
        Should.Throw<SyntaxFormatException>(() => Handle.Parse(line)).Kind.ShouldBe(SyntaxKind.Handle);
    }

    [Fact]
    public void Normalize_MixedCase_Lowercases()
    {
        Handle.Parse("XX.LCS.MIT.EDU").Normalize().Value.ShouldBe("xx.lcs.mit.edu");
        Handle.Parse("john.test").Normalize().Value.ShouldBe("john.test");
    }

    [Theory]
    [InlineData("john.0", "top-level domain")]
    [InlineData("john..test", "empty label")]
    [InlineData("john-.test", "'-'")]
    [InlineData("org", "two labels")]
    public void Parse_Invalid_ReasonSaysWhy(string text, string expectedInReason)
    {
        Should.Throw<SyntaxFormatException>(() => Handle.Parse(text)).Reason.ShouldContain(expectedInReason);
    }
}
