using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RecordKv.Atproto.Cbor;
using RecordKv.Atproto.Cids;
using RecordKv.Testing;

namespace RecordKv.Atproto.Tests.Cbor;

public sealed class DagCborJsonTests
{
    public static TheoryData<int> FixtureIndexes() => Indexes("data-model-fixtures.json");

    public static TheoryData<int> ValidIndexes() => Indexes("data-model-valid.json");

    public static TheoryData<int> InvalidIndexes() => Indexes("data-model-invalid.json");

    [Theory]
    [MemberData(nameof(FixtureIndexes))]
    public void FromJson_InteropFixture_GivesExactBytesAndCid(int index)
    {
        var fixture = Load("data-model-fixtures.json")[index];
        var json = fixture.GetProperty("json");
        var expected = Base64Unpadded(fixture.GetProperty("cbor_base64").GetString()!);

        var cbor = DagCborJson.FromJson(Encoding.UTF8.GetBytes(json.GetRawText()));

        Convert.ToHexString(cbor).ShouldBe(Convert.ToHexString(expected));
        Cid.ForDagCbor(cbor).ToString().ShouldBe(fixture.GetProperty("cid").GetString());
    }

    [Theory]
    [MemberData(nameof(FixtureIndexes))]
    public void ToJsonString_InteropFixture_GivesOriginalJson(int index)
    {
        var fixture = Load("data-model-fixtures.json")[index];
        var cbor = Base64Unpadded(fixture.GetProperty("cbor_base64").GetString()!);

        DagCbor.Validate(cbor);
        var json = DagCborJson.ToJsonString(cbor);

        JsonNode.DeepEquals(JsonNode.Parse(json), JsonNode.Parse(fixture.GetProperty("json").GetRawText())).ShouldBeTrue(json);
    }

    [Theory]
    [MemberData(nameof(ValidIndexes))]
    public void FromJson_InteropValid_IsAcceptedAndRoundTrips(int index)
    {
        var json = Load("data-model-valid.json")[index].GetProperty("json");

        var cbor = DagCborJson.FromJson(json);

        DagCbor.Validate(cbor);
        DagCborJson.FromJson(Encoding.UTF8.GetBytes(DagCborJson.ToJsonString(cbor))).ShouldBe(cbor);
    }

    [Theory]
    [MemberData(nameof(InvalidIndexes))]
    public void FromJson_InteropInvalid_IsRejected(int index)
    {
        var fixture = Load("data-model-invalid.json")[index];

        var error = Should.Throw<DataModelJsonException>(() => DagCborJson.FromJson(fixture.GetProperty("json")));

        error.Path.ShouldStartWith("$");
    }

    [Theory]
    [InlineData("""{"a": 1.5}""", "$.a", "no floating-point")]
    [InlineData("""{"a": [1, 2e-1]}""", "$.a[1]", "no floating-point")]
    [InlineData("""{"a": 1e30}""", "$.a", "signed 64-bit")]
    [InlineData("""{"a": {"$bytes": "!!"}}""", "$.a.$bytes", "base64")]
    [InlineData("""{"a": {"$bytes": "A"}}""", "$.a.$bytes", "base64")]
    [InlineData("""{"a": {"$link": "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"}}""", "$.a.$link", "not a CIDv1")]
    [InlineData("""{"a": 1, "a": 2}""", "$", "Duplicate key")]
    [InlineData("""[1]""", "$", "top-level")]
    public void FromJson_Invalid_ThrowsWithPath(string json, string path, string reason)
    {
        var error = Should.Throw<DataModelJsonException>(() => DagCborJson.FromJson(Encoding.UTF8.GetBytes(json)));

        error.Path.ShouldBe(path);
        error.Message.ShouldContain(reason);
    }

    [Theory]
    [InlineData("AQID", "AQID")]
    [InlineData("AQI", "AQI")]
    [InlineData("AQI=", "AQI")]
    [InlineData("AQ==", "AQ")]
    // The lexicon fixture's "123": unpadded, with non-zero leftover bits; decodes to the same two bytes as "120".
    [InlineData("123", "120")]
    public void FromJson_Bytes_AcceptsPaddedAndUnpaddedAndWritesUnpadded(string input, string output)
    {
        var cbor = DagCborJson.FromJson(Encoding.UTF8.GetBytes("{\"b\":{\"$bytes\":\"" + input + "\"}}"));

        DagCborJson.ToJsonString(cbor).ShouldBe("{\"b\":{\"$bytes\":\"" + output + "\"}}");
    }

    [Fact]
    public void FromJson_KeysOutOfOrder_AreSortedCanonically()
    {
        var cbor = DagCborJson.FromJson("""{"bb": 1, "c": 2, "a": 3, "": 4}"""u8);

        DagCborJson.ToJsonString(cbor).ShouldBe("""{"":4,"a":3,"c":2,"bb":1}""");
    }

    [Fact]
    public void WriteJson_TrailingBytes_Throws()
    {
        var error = Should.Throw<CborFormatException>(() => DagCborJson.ToJsonString([0xa0, 0x00]));

        error.Offset.ShouldBe(1);
    }

    private static TheoryData<int> Indexes(string file)
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < Load(file).Count; i++)
        {
            data.Add(i);
        }

        return data;
    }

    private static List<JsonElement> Load(string file)
    {
        var document = JsonDocument.Parse(File.ReadAllBytes(SharedFixtures.Path("atproto-interop", "data-model", file)));
        return [.. document.RootElement.EnumerateArray()];
    }

    private static byte[] Base64Unpadded(string text) => Convert.FromBase64String(text.PadRight((text.Length + 3) / 4 * 4, '='));
}
