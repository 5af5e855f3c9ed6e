using System.Text;
using RecordKv.Atproto.Cbor;
using RecordKv.Atproto.Cids;

namespace RecordKv.Atproto.Tests.Cbor;

public sealed class DagCborReaderTests
{
    private const string LinkCid = "bafyreidfayvfuwqa7qlnopdjiqrxzs6blmoeu4rujcjtnci5beludirz2a";

    public static TheoryData<string, long, string> MalformedInputs()
    {
        var cidHex = Convert.ToHexString(Cid.Parse(LinkCid).ToBytes());
        return new TheoryData<string, long, string>
        {
            // floats, top level and as a map value
            { "fb3ff0000000000000", 0, "floating-point" },
            { "a16161f93c00", 3, "floating-point" },
            { "fa3f800000", 0, "floating-point" },
            // indefinite lengths
            { "9f01ff", 0, "Indefinite-length an array" },
            { "bf616101ff", 0, "Indefinite-length a map" },
            { "7f6161ff", 0, "Indefinite-length a text string" },
            { "5f4101ff", 0, "Indefinite-length a byte string" },
            { "8201ff", 2, "break" },
            // non-minimal integers
            { "1817", 0, "Non-minimal" },
            { "1900ff", 0, "Non-minimal" },
            { "1a0000ffff", 0, "Non-minimal" },
            { "1b00000000ffffffff", 0, "Non-minimal" },
            { "3800", 0, "Non-minimal" },
            // non-minimal lengths
            { "78016161", 0, "Non-minimal" },
            { "8201580100", 2, "Non-minimal" },
            { "980101", 0, "Non-minimal" },
            // reserved additional information, integer beyond int64
            { "1c", 0, "Reserved" },
            { "1b8000000000000000", 0, "signed 64-bit" },
            { "3b8000000000000000", 0, "signed 64-bit" },
            // map keys: order, duplicates, type
            { "a2616201616102", 4, "out of canonical order" },
            { "a2626262016161" + "02", 5, "out of canonical order" },
            { "a3616101626161026162" + "03", 8, "out of canonical order" },
            { "a2616101616102", 4, "Duplicate map key \"a\"" },
            { "a10102", 1, "Map key must be a text string" },
            { "a1416101", 1, "Map key must be a text string" },
            { "a1f601", 1, "Map key must be a text string" },
            { "a18001", 1, "Map key must be a text string" },
            // tags other than 42, undefined, simple values
            { "c11a5f000000", 0, "Tag 1 is not allowed" },
            { "d82b4100", 0, "Tag 43 is not allowed" },
            { "f7", 0, "undefined" },
            { "f0", 0, "simple value 0xf0" },
            { "f820", 0, "simple value 0xf8" },
            { "ff", 0, "break" },
            // truncated input
            { "", 0, "Input ends" },
            { "8201", 0, "exceeds the 1 bytes left" },
            { "828101", 3, "Input ends" },
            { "1901", 0, "Input ends" },
            { "a16161", 3, "Input ends" },
            { "d82a", 2, "Input ends" },
            // lengths beyond the input
            { "6261", 0, "exceeds the 1 bytes left" },
            { "5affffffff00", 0, "exceeds the 1 bytes left" },
            { "830102", 0, "exceeds the 2 bytes left" },
            { "a3616101", 0, "exceeds the 3 bytes left" },
            // invalid UTF-8 names the first bad byte
            { "62c328", 1, "UTF-8" },
            { "6461ff6161", 2, "UTF-8" },
            { "63eda080", 1, "UTF-8" },
            { "a162c32801", 2, "UTF-8" },
            { "61ff", 1, "UTF-8" },
            { "a161ff01", 2, "UTF-8" },
            // CID links
            { "d82a5824" + cidHex, 4, "0x00 multibase prefix" },
            { "d82a40", 3, "0x00 multibase prefix" },
            { "d82a582600" + cidHex + "00", 5, "after the CID" },
            { "d82a582500" + "0170" + cidHex[4..], 5, "codec 0x70" },
            { "d82a4100", 4, "no bytes" },
            { "a1d82a582500" + cidHex + "01", 1, "Map key must be a text string" },
            { "d82a582500" + cidHex[..40], 2, "exceeds" },
            { "d82a420000", 4, "version byte 0x00" },
            { "d82a6100", 2, "Expected a byte string" },
            // trailing bytes
            { "0102", 1, "trailing" },
            { "a0a0", 1, "trailing" },
        };
    }

    [Theory]
    [MemberData(nameof(MalformedInputs))]
    public void Validate_MalformedInput_ThrowsAtOffset(string hex, long offset, string reason)
    {
        var bytes = Convert.FromHexString(hex);

        var error = Should.Throw<CborFormatException>(() => DagCbor.Validate(bytes));

        error.Message.ShouldContain(reason);
        error.Offset.ShouldBe(offset, error.Message);
    }

    [Fact]
    public void Validate_NestingBeyondCap_ThrowsAtDeepestHeader()
    {
        var depth = DagCborReaderOptions.MaxSupportedDepth;
        var bytes = Convert.FromHexString(string.Concat(Enumerable.Repeat("81", depth + 1)) + "01");

        var error = Should.Throw<CborFormatException>(() => DagCbor.Validate(bytes));

        error.Offset.ShouldBe(depth);
        error.Message.ShouldContain("Nesting");
    }

    [Fact]
    public void Validate_NestingAtCap_IsAccepted()
    {
        var depth = DagCborReaderOptions.MaxSupportedDepth;
        var bytes = Convert.FromHexString(string.Concat(Enumerable.Repeat("81", depth)) + "01");

        Should.NotThrow(() => DagCbor.Validate(bytes));
    }

    [Fact]
    public void Validate_ConfiguredDepth_IsEnforced()
    {
        var bytes = Convert.FromHexString("a16161818101");
        var options = new DagCborReaderOptions { MaxDepth = 2 };

        var error = Should.Throw<CborFormatException>(() => DagCbor.Validate(bytes, options));

        error.Offset.ShouldBe(4);
        Should.NotThrow(() => DagCbor.Validate(bytes, new DagCborReaderOptions { MaxDepth = 3 }));
    }

    [Fact]
    public void Validate_ContainerLongerThanCap_ThrowsBeforeReadingItems()
    {
        var bytes = Convert.FromHexString("83010203");

        var error = Should.Throw<CborFormatException>(() => DagCbor.Validate(bytes, new DagCborReaderOptions { MaxContainerLength = 2 }));

        error.Offset.ShouldBe(0);
        error.Message.ShouldContain("limit of 2");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(DagCborReaderOptions.MaxSupportedDepth + 1)]
    public void Options_DepthOutOfRange_Throws(int depth) =>
        Should.Throw<ArgumentOutOfRangeException>(() => new DagCborReaderOptions { MaxDepth = depth });

    [Theory]
    [InlineData("a0")]
    [InlineData("80")]
    [InlineData("a26161016162a0")]
    [InlineData("a2616101626161a0")]
    [InlineData("a3600161610262616103")]
    [InlineData("a1616183a0a16162f680")]
    [InlineData("3b7fffffffffffffff")]
    [InlineData("1b7fffffffffffffff")]
    [InlineData("f5")]
    [InlineData("f6")]
    [InlineData("40")]
    [InlineData("60")]
    public void Validate_WellFormedInput_IsAccepted(string hex) =>
        Should.NotThrow(() => DagCbor.Validate(Convert.FromHexString(hex)));

    [Fact]
    public void Read_TypedRecord_ReturnsEveryValue()
    {
        // {"a": [1, -2, "x", h'00ff', true, null, link], "bb": {"c": false}}
        var link = Cid.Parse(LinkCid);
        var bytes = Convert.FromHexString("a2616187012161784200fff5f6d82a582500" + Convert.ToHexString(link.ToBytes()) + "626262a16163f4");
        var reader = new DagCborReader(bytes);

        reader.PeekType().ShouldBe(CborValueType.Map);
        reader.ReadMapHeader().ShouldBe(2);
        reader.CurrentDepth.ShouldBe(1);
        reader.ReadText().ShouldBe("a");
        reader.ReadArrayHeader().ShouldBe(7);
        reader.PeekType().ShouldBe(CborValueType.UnsignedInteger);
        reader.ReadInt64().ShouldBe(1);
        reader.PeekType().ShouldBe(CborValueType.NegativeInteger);
        reader.ReadInt64().ShouldBe(-2);
        Encoding.UTF8.GetString(reader.ReadTextUtf8()).ShouldBe("x");
        reader.ReadBytes().ToArray().ShouldBe(new byte[] { 0x00, 0xff });
        reader.ReadBoolean().ShouldBeTrue();
        reader.TryReadNull().ShouldBeTrue();
        reader.PeekType().ShouldBe(CborValueType.Link);
        reader.TryReadNull().ShouldBeFalse();
        reader.ReadCid().ShouldBe(link);
        reader.CurrentDepth.ShouldBe(1);
        reader.ReadText().ShouldBe("bb");
        reader.ReadMapHeader().ShouldBe(1);
        reader.ReadText().ShouldBe("c");
        reader.PeekType().ShouldBe(CborValueType.Boolean);
        reader.ReadBoolean().ShouldBeFalse();
        reader.CurrentDepth.ShouldBe(0);
        reader.IsAtEnd.ShouldBeTrue();
        reader.BytesConsumed.ShouldBe(bytes.Length);
    }

    [Fact]
    public void ReadEncodedValue_NestedValue_ReturnsItsBytes()
    {
        var bytes = Convert.FromHexString("a2616182010261629f");
        var reader = new DagCborReader(bytes);
        reader.ReadMapHeader();
        reader.ReadText();

        reader.ReadEncodedValue().ToArray().ShouldBe(Convert.FromHexString("820102"));
        reader.ReadText().ShouldBe("b");
    }

    [Fact]
    public void ReadInt64_WrongType_ThrowsAtItem()
    {
        var bytes = Convert.FromHexString("82016161");
        var reader = new DagCborReader(bytes);
        reader.ReadArrayHeader();
        reader.ReadInt64();

        CborFormatException? error = null;
        try
        {
            reader.ReadInt64();
        }
        catch (CborFormatException caught)
        {
            error = caught;
        }

        error.ShouldNotBeNull();
        error.Offset.ShouldBe(2);
        error.Message.ShouldContain("Expected an integer but found a text string");
    }

    [Fact]
    public void ReadText_ValueInKeyPosition_IsCheckedForOrder()
    {
        var bytes = Convert.FromHexString("a2616201616102");
        var reader = new DagCborReader(bytes);
        reader.ReadMapHeader();
        reader.ReadText().ShouldBe("b");
        reader.ReadInt64();

        var offset = -1L;
        try
        {
            reader.ReadText();
        }
        catch (CborFormatException error)
        {
            offset = error.Offset;
        }

        offset.ShouldBe(4);
    }

    [Fact]
    public void PeekType_Float_Throws()
    {
        var bytes = Convert.FromHexString("f93c00");

        var error = Should.Throw<CborFormatException>(() => new DagCborReader(bytes).PeekType());

        error.Offset.ShouldBe(0);
    }

    [Fact]
    public void TryReadOneLetterKey_ExpectedKeys_ReadsThemAndLeavesOthers()
    {
        // {"a": 1, "b": 2}
        var reader = new DagCborReader(Convert.FromHexString("a2616101616202"));
        reader.ReadMapHeader();
        reader.TryReadOneLetterKey((byte)'a').ShouldBeTrue();
        reader.ReadInt64().ShouldBe(1);
        reader.TryReadOneLetterKey((byte)'c').ShouldBeFalse();
        reader.BytesConsumed.ShouldBe(4);
        reader.TryReadOneLetterKey((byte)'b').ShouldBeTrue();
        reader.ReadInt64().ShouldBe(2);
        reader.IsAtEnd.ShouldBeTrue();
    }

    [Theory]
    [InlineData("a2616201616102", "order")]
    [InlineData("a2616101616102", "uplicate")]
    public void TryReadOneLetterKey_KeysOutOfOrder_Throws(string hex, string reason)
    {
        var exception = Should.Throw<CborFormatException>(() =>
        {
            var reader = new DagCborReader(Convert.FromHexString(hex));
            reader.ReadMapHeader();
            reader.TryReadOneLetterKey(Convert.FromHexString(hex)[2]).ShouldBeTrue();
            reader.ReadInt64();
            reader.TryReadOneLetterKey(Convert.FromHexString(hex)[5]);
        });
        exception.Message.ShouldContain(reason, Case.Insensitive);
    }

    [Fact]
    public void TryReadOneLetterKey_ValuePosition_ReadsNothing()
    {
        // ["a"]: a text string that is not a map key.
        var reader = new DagCborReader(Convert.FromHexString("816161"));
        reader.ReadArrayHeader();
        reader.TryReadOneLetterKey((byte)'a').ShouldBeFalse();
        reader.BytesConsumed.ShouldBe(1);
    }
}
