using System.Text;
using RecordKv.Atproto.Syntax;

namespace RecordKv.Atproto.Tests.Syntax;

public sealed class CidSyntaxTests
{
    public static TheoryData<string> InteropValid => InteropSyntaxFixtures.Lines("cid_syntax_valid.txt");

    public static TheoryData<string> InteropInvalid => InteropSyntaxFixtures.Lines("cid_syntax_invalid.txt");

    [Theory]
    [MemberData(nameof(InteropValid))]
    public void IsValid_InteropValid_IsTrue(string line)
    {
        CidSyntax.IsValid(line).ShouldBeTrue();
        CidSyntax.IsValid(Encoding.UTF8.GetBytes(line)).ShouldBeTrue();
        Should.NotThrow(() => CidSyntax.Validate(line));
    }

    [Theory]
    [MemberData(nameof(InteropInvalid))]
    public void IsValid_InteropInvalid_IsFalse(string line)
    {
        CidSyntax.IsValid(line).ShouldBeFalse();
        CidSyntax.IsValid(Encoding.UTF8.GetBytes(line)).ShouldBeFalse();
        Should.Throw<SyntaxFormatException>(() => CidSyntax.Validate(line)).Kind.ShouldBe(SyntaxKind.Cid);
    }
}
