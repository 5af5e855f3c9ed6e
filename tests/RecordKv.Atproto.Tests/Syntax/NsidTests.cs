using System.Text;
using RecordKv.Atproto.Syntax;

namespace RecordKv.Atproto.Tests.Syntax;

public sealed class NsidTests
{
    public static TheoryData<string> InteropValid => InteropSyntaxFixtures.Lines("nsid_syntax_valid.txt");

    public static TheoryData<string> InteropInvalid => InteropSyntaxFixtures.Lines("nsid_syntax_invalid.txt");

    [Theory]
    [MemberData(nameof(InteropValid))]
    public void Parse_InteropValid_RoundTrips(string line)
    {
        // The fixture's 287-character "com.middle…foo" has a 283-character domain authority; the spec caps the
        // authority at 253 (including periods) and the spec wins over the fixture, so that line must fail.
        if (line.LastIndexOf('.') > 253)
        {
            Should.Throw<SyntaxFormatException>(() => Nsid.Parse(line)).Reason.ShouldContain("253");
            return;
        }

        Nsid.Parse(line).ToString().ShouldBe(line);
        Nsid.Parse(Encoding.UTF8.GetBytes(line)).Value.ShouldBe(line);
    }

    [Theory]
    [MemberData(nameof(InteropInvalid))]
    public void TryParse_InteropInvalid_Fails(string line)
    {
        Nsid.TryParse(line, out _).ShouldBeFalse();
        Nsid.IsValid(Encoding.UTF8.GetBytes(line)).ShouldBeFalse();
        Should.Throw<SyntaxFormatException>(() => Nsid.Parse(line.AsSpan())).Kind.ShouldBe(SyntaxKind.Nsid);
    }

    [Fact]
    public void AuthorityAndName_FeedPost_SplitAtLastDot()
    {
        var nsid = Nsid.Parse("app.bsky.feed.post");

        nsid.Authority.ToString().ShouldBe("app.bsky.feed");
        nsid.Name.ToString().ShouldBe("post");
    }

    [Theory]
    [InlineData("com.example.fooBar.2", "must start with a letter")]
    [InlineData("com.example", "three segments")]
    [InlineData("a-0.b-1.c-3", "letters and digits")]
    [InlineData("1.0.0.127.record", "first segment")]
    public void Parse_Invalid_ReasonSaysWhy(string text, string expectedInReason)
    {
        Should.Throw<SyntaxFormatException>(() => Nsid.Parse(text)).Reason.ShouldContain(expectedInReason);
    }
}
