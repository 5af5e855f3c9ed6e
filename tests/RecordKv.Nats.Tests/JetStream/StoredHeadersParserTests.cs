using System.Text;
using RecordKv.Nats.JetStream;

namespace RecordKv.Nats.Tests.JetStream;

public sealed class StoredHeadersParserTests
{
    [Fact]
    public void Parse_HeaderBlock_KeepsOrderAndRepeatedNames()
    {
        var headers = StoredHeadersParser.Parse("NATS/1.0\r\nKV-Operation: DEL\r\nX-A: 1\r\nX-A: 2\r\n\r\n"u8)!;

        headers.GetLastValue("KV-Operation").ShouldBe("DEL");
        headers.TryGetValue("X-A", out var values).ShouldBeTrue();
        values.ShouldBe(["1", "2"]);
    }

    [Fact]
    public void Parse_Empty_ReturnsNull()
    {
        StoredHeadersParser.Parse(default).ShouldBeNull();
    }

    [Theory]
    [InlineData("HTTP/1.1\r\n\r\n")]
    [InlineData("NATS/1.0")]
    [InlineData("NATS/1.0\r\nno colon\r\n\r\n")]
    [InlineData("NATS/1.0\r\n: empty name\r\n\r\n")]
    public void Parse_Malformed_ThrowsJetStreamException(string block)
    {
        Should.Throw<NatsJetStreamException>(() => StoredHeadersParser.Parse(Encoding.UTF8.GetBytes(block)));
    }
}
