using System.Text;
using RecordKv.Atproto.Syntax;

namespace RecordKv.Atproto.Tests.Syntax;

public sealed class LanguageTests
{
    // Lines of language_syntax_invalid.txt that RFC 5646 calls well-formed. The Lexicon spec requires exactly
    // "well-formed as defined in the RFC" and the spec wins over the fixture: tags are case-insensitive (JA),
    // and a 4-letter primary subtag is well-formed but reserved (so strict parsing still refuses jaja).
    private static readonly HashSet<string> WellFormedPerSpec = ["JA", "jaja"];

    public static TheoryData<string> InteropValid => InteropSyntaxFixtures.Lines("language_syntax_valid.txt");

    public static TheoryData<string> InteropInvalid => InteropSyntaxFixtures.Lines("language_syntax_invalid.txt");

    public static TheoryData<string> InteropParseInvalid => InteropSyntaxFixtures.Lines("language_parse_invalid.txt");

    [Theory]
    [MemberData(nameof(InteropValid))]
    public void Parse_InteropValid_KeepsText(string line)
    {
        Language.Parse(line).ToString().ShouldBe(line);
        Language.Parse(Encoding.UTF8.GetBytes(line)).Value.ShouldBe(line);
        Language.IsWellFormed(line).ShouldBeTrue();
    }

    [Theory]
    [MemberData(nameof(InteropInvalid))]
    public void IsWellFormed_InteropInvalid_IsFalseUnlessTheRfcAllowsIt(string line)
    {
        Language.IsWellFormed(line).ShouldBe(WellFormedPerSpec.Contains(line));
        Language.IsWellFormed(Encoding.UTF8.GetBytes(line)).ShouldBe(WellFormedPerSpec.Contains(line));
    }

    [Theory]
    [MemberData(nameof(InteropParseInvalid))]
    public void Parse_InteropParseInvalid_WellFormedButRejected(string line)
    {
        Language.IsWellFormed(line).ShouldBeTrue();
        Language.TryParse(line, out _).ShouldBeFalse();
        Should.Throw<SyntaxFormatException>(() => Language.Parse(line)).Reason.ShouldContain("repeats");
    }

    [Theory]
    [InlineData("JA", true)]
    [InlineData("jaja", false)]
    [InlineData("zh-min-nan", true)]
    [InlineData("en-GB-oed", true)]
    [InlineData("x-whatever", true)]
    [InlineData("de-419-DE", false)]
    [InlineData("en-a", false)]
    [InlineData("en-x", false)]
    [InlineData("toolongtag", false)]
    public void TryParse_Cases_MatchRfc5646(string text, bool expected)
    {
        Language.TryParse(text, out _).ShouldBe(expected);
    }

    [Fact]
    public void Primary_RegionalTag_IsLanguageSubtag()
    {
        Language.Parse("pt-BR").Primary.ToString().ShouldBe("pt");
    }
}
