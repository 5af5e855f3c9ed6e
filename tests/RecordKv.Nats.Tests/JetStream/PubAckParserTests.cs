using System.Text;
using RecordKv.Nats.JetStream;

namespace RecordKv.Nats.Tests.JetStream;

public sealed class PubAckParserTests
{
    [Fact]
    public void TryParse_Ack_ReadsFieldsAndReusesStreamName()
    {
        string? lastStream = null;

        PubAckParser.TryParse("""{"stream":"ORDERS","seq":42,"duplicate":true,"domain":"hub"}"""u8, ref lastStream, out var first, out var error).ShouldBeTrue();
        PubAckParser.TryParse("""{"stream":"ORDERS","seq":43}"""u8, ref lastStream, out var second, out _).ShouldBeTrue();

        error.ShouldBeNull();
        first.ShouldBe(new PubAck("ORDERS", 42, true, "hub"));
        second.Sequence.ShouldBe(43UL);
        second.Duplicate.ShouldBeFalse();
        ReferenceEquals(first.Stream, second.Stream).ShouldBeTrue();
    }

    [Fact]
    public void TryParse_Error_ReadsCodes()
    {
        string? lastStream = null;

        PubAckParser.TryParse("""{"error":{"code":400,"err_code":10071,"description":"wrong last sequence: 3"}}"""u8, ref lastStream, out _, out var error).ShouldBeTrue();

        error!.Code.ShouldBe(400);
        error.ErrCode.ShouldBe(10071);
        error.Description.ShouldBe("wrong last sequence: 3");
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"seq\":1}")]
    [InlineData("{\"stream\":\"S\",\"seq\":-1}")]
    [InlineData("{\"stream\":\"S\",\"seq\":")]
    [InlineData("not json")]
    public void TryParse_Malformed_ReturnsFalse(string json)
    {
        string? lastStream = null;

        PubAckParser.TryParse(Encoding.UTF8.GetBytes(json), ref lastStream, out _, out _).ShouldBeFalse();
    }
}
