using System.Text;
using RecordKv.Atproto.Syntax;

namespace RecordKv.Atproto.Tests.Syntax;

public sealed class DidTests
{
    public static TheoryData<string> InteropValid => InteropSyntaxFixtures.Lines("did_syntax_valid.txt");

    public static TheoryData<string> InteropInvalid => InteropSyntaxFixtures.Lines("did_syntax_invalid.txt");

    [Theory]
    [MemberData(nameof(InteropValid))]
    public void Parse_InteropValid_RoundTrips(string line)
    {
        Did.Parse(line).ToString().ShouldBe(line);
        Did.Parse(line.AsSpan()).Value.ShouldBe(line);
        Did.Parse(Encoding.UTF8.GetBytes(line)).Value.ShouldBe(line);
        Did.IsValid(Encoding.UTF8.GetBytes(line)).ShouldBeTrue();
    }

    [Theory]
    [MemberData(nameof(InteropInvalid))]
    public void TryParse_InteropInvalid_Fails(string line)
    {
        Did.TryParse(line, out _).ShouldBeFalse();
        Did.TryParse(Encoding.UTF8.GetBytes(line), out _).ShouldBeFalse();
        Should.Throw<SyntaxFormatException>(() => Did.Parse(line)).Kind.ShouldBe(SyntaxKind.Did);
    }

    [Fact]
    public void MethodAndIdentifier_PlcDid_SplitAtSecondColon()
    {
        var did = Did.Parse("did:plc:ewvi7nxzyoun6zhxrhs64oiz");

        did.Method.ToString().ShouldBe("plc");
        did.Identifier.ToString().ShouldBe("ewvi7nxzyoun6zhxrhs64oiz");
    }

    [Theory]
    [InlineData("did:METHOD:val", "method")]
    [InlineData("did:method:val:", "must not end")]
    [InlineData("DID:method:val", "did:")]
    [InlineData("did:method:val/two", "identifier")]
    public void Parse_Invalid_MessageNamesKindAndProblem(string text, string expectedInMessage)
    {
        var error = Should.Throw<SyntaxFormatException>(() => Did.Parse(text));

        error.Message.ShouldStartWith("Invalid DID");
        error.Message.ShouldContain(text);
        error.Reason.ShouldContain(expectedInMessage);
    }

    [Fact]
    public void Equality_SameText_Equal()
    {
        Did.Parse("did:web:example.com").ShouldBe(Did.Parse("did:web:example.com".AsSpan()));
        Did.Parse("did:web:example.com").ShouldNotBe(Did.Parse("did:web:Example.com"));
    }
}
