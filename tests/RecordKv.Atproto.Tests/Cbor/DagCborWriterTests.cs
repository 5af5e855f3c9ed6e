using System.Buffers;
using System.Text;
using RecordKv.Atproto.Cbor;
using RecordKv.Atproto.Cids;

namespace RecordKv.Atproto.Tests.Cbor;

public sealed class DagCborWriterTests
{
    [Theory]
    [InlineData(0L, "00")]
    [InlineData(23L, "17")]
    [InlineData(24L, "1818")]
    [InlineData(255L, "18ff")]
    [InlineData(256L, "190100")]
    [InlineData(65535L, "19ffff")]
    [InlineData(65536L, "1a00010000")]
    [InlineData(4294967295L, "1affffffff")]
    [InlineData(4294967296L, "1b0000000100000000")]
    [InlineData(long.MaxValue, "1b7fffffffffffffff")]
    [InlineData(-1L, "20")]
    [InlineData(-24L, "37")]
    [InlineData(-25L, "3818")]
    [InlineData(-256L, "38ff")]
    [InlineData(-257L, "390100")]
    [InlineData(long.MinValue, "3b7fffffffffffffff")]
    public void WriteInt64_Value_UsesShortestFormAndReadsBack(long value, string hex)
    {
        var output = new ArrayBufferWriter<byte>();

        new DagCborWriter(output).WriteInt64(value);

        Convert.ToHexString(output.WrittenSpan).ShouldBe(hex, StringCompareShould.IgnoreCase);
        new DagCborReader(output.WrittenSpan).ReadInt64().ShouldBe(value);
    }

    [Theory]
    [InlineData(0, "60")]
    [InlineData(23, "77")]
    [InlineData(24, "7818")]
    [InlineData(256, "790100")]
    [InlineData(70000, "7a00011170")]
    public void WriteText_Length_UsesShortestHead(int length, string headHex)
    {
        var output = new ArrayBufferWriter<byte>();

        new DagCborWriter(output).WriteText(new string('x', length));

        Convert.ToHexString(output.WrittenSpan[..(headHex.Length / 2)]).ShouldBe(headHex, StringCompareShould.IgnoreCase);
        output.WrittenCount.ShouldBe((headHex.Length / 2) + length);
        new DagCborReader(output.WrittenSpan).ReadText().ShouldBe(new string('x', length));
    }

    [Fact]
    public void Write_EveryKind_ReadsBackAsValidDagCbor()
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new DagCborWriter(output);
        var link = Cid.ForDagCbor([0xa0]);

        writer.WriteMapHeader(5);
        writer.WriteText("a");
        writer.WriteBytes([1, 2, 3]);
        writer.WriteText("b"u8);
        writer.WriteCid(link);
        writer.WriteText("c");
        writer.WriteArrayHeader(3);
        writer.WriteBoolean(true);
        writer.WriteBoolean(false);
        writer.WriteNull();
        writer.WriteText("dd");
        writer.WriteEncodedValue([0xa0]);
        writer.WriteText("ééé");
        writer.WriteInt64(-5);

        DagCbor.Validate(output.WrittenSpan);
        var reader = new DagCborReader(output.WrittenSpan);
        reader.ReadMapHeader().ShouldBe(5);
        reader.ReadText().ShouldBe("a");
        reader.ReadBytes().ToArray().ShouldBe(new byte[] { 1, 2, 3 });
        reader.ReadText().ShouldBe("b");
        reader.ReadCid().ShouldBe(link);
        DagCborJson.ToJsonString(output.WrittenSpan).ShouldBe(
            $$"""{"a":{"$bytes":"AQID"},"b":{"$link":"{{link}}"},"c":[true,false,null],"dd":{},"ééé":-5}""");
    }

    [Fact]
    public void WriteText_InvalidUtf8_Throws()
    {
        var writer = new DagCborWriter(new ArrayBufferWriter<byte>());

        Should.Throw<ArgumentException>(() => writer.WriteText([0xc3, 0x28]));
        Should.Throw<ArgumentException>(() => writer.WriteText("\ud800"));
    }

    [Fact]
    public void WriteCid_Default_Throws() =>
        Should.Throw<ArgumentException>(() => new DagCborWriter(new ArrayBufferWriter<byte>()).WriteCid(default));

    [Theory]
    [InlineData("a", "b", -1)]
    [InlineData("b", "aa", -1)]
    [InlineData("aa", "ab", -1)]
    [InlineData("ab", "ab", 0)]
    [InlineData("z", "", 1)]
    // U+FFFF (3 bytes) sorts before U+10000 (4 bytes) even though UTF-16 ordinal order says otherwise.
    [InlineData("\uffff", "\U00010000", -1)]
    // Equal UTF-8 length: U+E000 (ee 80 80) sorts before "a" + U+0800... both 3 bytes; bytewise decides.
    [InlineData("\ue000", "\u0800", 1)]
    public void KeyOrder_Compare_ShorterFirstThenBytewise(string left, string right, int expected)
    {
        Math.Sign(DagCborKeyOrder.Compare(left, right)).ShouldBe(expected);
        Math.Sign(DagCborKeyOrder.Compare(Encoding.UTF8.GetBytes(left), Encoding.UTF8.GetBytes(right))).ShouldBe(expected);
    }
}
