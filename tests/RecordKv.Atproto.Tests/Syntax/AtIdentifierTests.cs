using System.Text;
using RecordKv.Atproto.Syntax;

namespace RecordKv.Atproto.Tests.Syntax;

public sealed class AtIdentifierTests
{
    public static TheoryData<string> InteropValid => InteropSyntaxFixtures.Lines("atidentifier_syntax_valid.txt");

    public static TheoryData<string> InteropInvalid => InteropSyntaxFixtures.Lines("atidentifier_syntax_invalid.txt");

    [Theory]
    [MemberData(nameof(InteropValid))]
    public void Parse_InteropValid_RoundTrips(string line)
    {
        var identifier = AtIdentifier.Parse(line);

        identifier.ToString().ShouldBe(line);
        identifier.IsDid.ShouldBe(Did.IsValid(line));
        identifier.IsHandle.ShouldBe(Handle.IsValid(line));
    }

    [Theory]
    [MemberData(nameof(InteropInvalid))]
    public void TryParse_InteropInvalid_Fails(string line)
    {
        AtIdentifier.TryParse(line, out _).ShouldBeFalse();
        AtIdentifier.IsValid(Encoding.UTF8.GetBytes(line)).ShouldBeFalse();
    }

    [Fact]
    public void TryGetDid_Did_ReturnsIt()
    {
        var identifier = AtIdentifier.Parse("did:plc:abc");

        identifier.TryGetDid(out var did).ShouldBeTrue();
        did.ShouldBe(Did.Parse("did:plc:abc"));
        identifier.TryGetHandle(out _).ShouldBeFalse();
    }

    [Fact]
    public void TryGetHandle_Handle_ReturnsIt()
    {
        var identifier = AtIdentifier.Parse("alice.test");

        identifier.TryGetHandle(out var handle).ShouldBeTrue();
        handle.ShouldBe(Handle.Parse("alice.test"));
        identifier.TryGetDid(out _).ShouldBeFalse();
    }
}
