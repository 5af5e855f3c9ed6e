using RecordKv.Atproto.Syntax;

namespace RecordKv.Atproto.Tests.Syntax;

public sealed class SyntaxFormatExceptionTests
{
    [Fact]
    public void Message_LongValue_QuotesOnlyAPrefix()
    {
        var value = "at://did:plc:abc/app.bsky.feed.post/" + new string('o', 9000);

        var error = Should.Throw<SyntaxFormatException>(() => AtUri.Parse(value));

        error.ShouldBeAssignableTo<FormatException>();
        error.Message.Length.ShouldBeLessThan(300);
        error.Message.ShouldContain("9036 chars");
        error.Message.ShouldContain("longer than 8192");
    }

    [Fact]
    public void Parse_Utf8Input_MessageShowsDecodedText()
    {
        var error = Should.Throw<SyntaxFormatException>(() => Handle.Parse("bücher.test"u8));

        error.Message.ShouldContain("bücher.test");
        error.Kind.ShouldBe(SyntaxKind.Handle);
    }
}
