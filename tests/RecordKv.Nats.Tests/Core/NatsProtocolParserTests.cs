using System.Buffers;
using System.Text;
using RecordKv.Nats.Internal;

namespace RecordKv.Nats.Tests.Core;

public sealed class NatsProtocolParserTests
{
    private const long MaxPayload = 1024 * 1024;

    private static ReadOnlySequence<byte> Segments(byte[] bytes, params int[] splits)
    {
        if (splits.Length == 0)
        {
            return new ReadOnlySequence<byte>(bytes);
        }

        var first = new Segment(bytes.AsMemory(0, splits[0]));
        var last = first;
        for (var i = 0; i < splits.Length; i++)
        {
            var end = i + 1 < splits.Length ? splits[i + 1] : bytes.Length;
            last = last.Append(bytes.AsMemory(splits[i], end - splits[i]));
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private static List<NatsServerOp> ParseAll(ref ReadOnlySequence<byte> buffer)
    {
        var parser = new NatsProtocolParser(MaxPayload);
        var ops = new List<NatsServerOp>();
        while (parser.TryParse(ref buffer, out var op))
        {
            ops.Add(op);
        }

        return ops;
    }

    [Fact]
    public void TryParse_EveryOperation_ParsesKindsAndFields()
    {
        var text = "INFO {\"server_id\":\"x\"}\r\nPING\r\nPONG\r\n+OK\r\n-ERR 'Permissions Violation for Publish to \"a\"'\r\n"
            + "MSG foo.bar 7 5\r\nhello\r\nMSG foo 8 reply.to 0\r\n\r\nHMSG h 9 r 12 14\r\nNATS/1.0\r\n\r\nhi\r\n";
        var buffer = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(text));

        var ops = ParseAll(ref buffer);

        buffer.Length.ShouldBe(0);
        ops.Select(op => op.Kind).ShouldBe([NatsServerOpKind.Info, NatsServerOpKind.Ping, NatsServerOpKind.Pong, NatsServerOpKind.Ok, NatsServerOpKind.Err, NatsServerOpKind.Msg, NatsServerOpKind.Msg, NatsServerOpKind.HMsg]);
        ops[0].Text.ShouldBe("{\"server_id\":\"x\"}");
        ops[4].Text.ShouldBe("Permissions Violation for Publish to \"a\"");
        ops[5].Subject.ShouldBe("foo.bar");
        ops[5].Sid.ShouldBe(7);
        ops[5].ReplyTo.ShouldBeNull();
        ops[6].ReplyTo.ShouldBe("reply.to");
        ops[6].Payload.Length.ShouldBe(0);
        ops[7].HeaderLength.ShouldBe(12);
        ops[7].Payload.Length.ShouldBe(14);
    }

    [Fact]
    public void TryParse_MessageSplitAtEveryByte_ParsesTheSame()
    {
        var bytes = Encoding.UTF8.GetBytes("HMSG a.b 3 inbox.1 22 27\r\nNATS/1.0 503\r\nK: V\r\n\r\nworld\r\nPING\r\n");
        for (var split = 1; split < bytes.Length - 1; split++)
        {
            var buffer = Segments(bytes, split, Math.Min(split + 3, bytes.Length - 1));

            var ops = ParseAll(ref buffer);

            ops.Count.ShouldBe(2, $"split at {split}");
            ops[0].Subject.ShouldBe("a.b");
            ops[0].ReplyTo.ShouldBe("inbox.1");
            Encoding.UTF8.GetString(ops[0].Payload.Slice(22).ToArray()).ShouldBe("world");
            ops[1].Kind.ShouldBe(NatsServerOpKind.Ping);
        }
    }

    [Theory]
    [InlineData("MSG a 1 5\r\nhel")]
    [InlineData("MSG a 1 5\r\nhello\r")]
    [InlineData("PIN")]
    [InlineData("INFO {\"a\":1}")]
    [InlineData("")]
    public void TryParse_IncompleteInput_AsksForMore(string text)
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(text));
        var parser = new NatsProtocolParser(MaxPayload);

        parser.TryParse(ref buffer, out _).ShouldBeFalse();
        buffer.Length.ShouldBe(text.Length);
    }

    [Theory]
    [InlineData("GARBAGE\r\n")]
    [InlineData("\0\u0001\u0002\r\n")]
    [InlineData("MSG\r\n")]
    [InlineData("MSG a 1\r\n")]
    [InlineData("MSG a 1 b c d 5\r\n")]
    [InlineData("MSG a 1 -5\r\n")]
    [InlineData("MSG a 1 5x\r\n")]
    [InlineData("MSG a x 3\r\nabc\r\n")]
    [InlineData("MSG a 1 99999999999999999999999\r\n")]
    [InlineData("MSG a 1 2000000000\r\n")]
    [InlineData("MSG a 1 3\r\nabcdef\r\n")]
    [InlineData("HMSG a 1 10 5\r\n")]
    [InlineData("HMSG a 1 5\r\n")]
    [InlineData("INFO\r\n")]
    [InlineData("INFO not-json\r\n")]
    public void TryParse_MalformedInput_ThrowsProtocolException(string text)
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(text));
        var parser = new NatsProtocolParser(MaxPayload);

        Should.Throw<NatsProtocolException>(() => parser.TryParse(ref buffer, out _));
    }

    [Fact]
    public void TryParse_OversizedMessageLength_ThrowsBeforeWaitingForData()
    {
        // Only the control line is there: the cap must trip before the parser waits for 100 MB.
        var buffer = new ReadOnlySequence<byte>("MSG a 1 104857600\r\n"u8.ToArray());
        var parser = new NatsProtocolParser(MaxPayload);

        var error = Should.Throw<NatsProtocolException>(() => parser.TryParse(ref buffer, out _));

        error.Message.ShouldContain("104857600");
    }

    [Fact]
    public void TryParse_ControlLineOverCapWithoutNewline_Throws()
    {
        var bytes = new byte[NatsProtocolParser.MaxControlLineLength + 1];
        bytes.AsSpan().Fill((byte)'A');
        var single = new ReadOnlySequence<byte>(bytes);
        var split = Segments(bytes, 1000, 40000);
        var parser = new NatsProtocolParser(MaxPayload);

        Should.Throw<NatsProtocolException>(() => parser.TryParse(ref single, out _));
        Should.Throw<NatsProtocolException>(() => parser.TryParse(ref split, out _));
    }

    [Theory]
    [InlineData("NATS/1.0\r\nA: 1\r\nB:2\r\nA: 3\r\n\r\n", null, null)]
    [InlineData("NATS/1.0 503\r\n\r\n", 503, null)]
    [InlineData("NATS/1.0 408 Request Timeout\r\n\r\n", 408, "Request Timeout")]
    [InlineData("NATS/1.0 404 No Messages\r\nNats-Pending-Messages: 1\r\n\r\n", 404, "No Messages")]
    public void NatsHeadersParse_Valid_ReadsStatusAndValues(string block, int? code, string? description)
    {
        var headers = NatsHeaders.Parse(Encoding.UTF8.GetBytes(block));

        headers.StatusCode.ShouldBe(code);
        headers.StatusDescription.ShouldBe(description);
        if (code is null)
        {
            headers.TryGetValue("A", out var values).ShouldBeTrue();
            values.ShouldBe(["1", "3"]);
            headers.GetLastValue("B").ShouldBe("2");
        }
    }

    [Theory]
    [InlineData("HTTP/1.1\r\n\r\n")]
    [InlineData("NATS/1.0\r\nNoColon\r\n\r\n")]
    [InlineData("NATS/1.0\r\nA: 1\r\n")]
    [InlineData("NATS/1.0 5x3\r\n\r\n")]
    [InlineData("NATS/1.0")]
    public void NatsHeadersParse_Malformed_ThrowsProtocolException(string block)
    {
        Should.Throw<NatsProtocolException>(() => NatsHeaders.Parse(Encoding.UTF8.GetBytes(block)));
    }

    [Fact]
    public void NatsHeadersWriteTo_ThenParse_RoundTrips()
    {
        var headers = new NatsHeaders().Add("Nats-Msg-Id", "1").Add("X", "a b").Add("X", "c");
        var bytes = new byte[headers.GetSerializedLength()];

        headers.WriteTo(bytes);
        var parsed = NatsHeaders.Parse(bytes);

        parsed.ShouldBe(headers.ToList());
    }

    [Theory]
    [InlineData("bad name")]
    [InlineData("colon:name")]
    [InlineData("")]
    public void NatsHeadersAdd_InvalidName_Throws(string name)
    {
        Should.Throw<ArgumentException>(() => new NatsHeaders().Add(name, "v"));
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
