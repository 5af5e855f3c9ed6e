using System.Text;
using RecordKv.Atproto.Syntax;

namespace RecordKv.Atproto.Tests.Syntax;

public sealed class UriSyntaxTests
{
    public static TheoryData<string> InteropValid => InteropSyntaxFixtures.Lines("uri_syntax_valid.txt");

    public static TheoryData<string> InteropInvalid => InteropSyntaxFixtures.Lines("uri_syntax_invalid.txt");

    [Theory]
    [MemberData(nameof(InteropValid))]
    public void IsValid_InteropValid_IsTrue(string line)
    {
        UriSyntax.IsValid(line).ShouldBeTrue();
        UriSyntax.IsValid(Encoding.UTF8.GetBytes(line)).ShouldBeTrue();
    }

    [Theory]
    [MemberData(nameof(InteropInvalid))]
    public void IsValid_InteropInvalid_IsFalse(string line)
    {
        UriSyntax.IsValid(line).ShouldBeFalse();
        UriSyntax.IsValid(Encoding.UTF8.GetBytes(line)).ShouldBeFalse();
        Should.Throw<SyntaxFormatException>(() => UriSyntax.Validate(line)).Kind.ShouldBe(SyntaxKind.Uri);
    }
}
