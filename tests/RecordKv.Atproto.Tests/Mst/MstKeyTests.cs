using System.Text.Json;
using RecordKv.Atproto.Mst;
using RecordKv.Testing;

namespace RecordKv.Atproto.Tests.Mst;

public sealed class MstKeyTests
{
    public static TheoryData<string, int> KeyHeights()
    {
        var data = new TheoryData<string, int>();
        foreach (var item in ReadJson("key_heights.json"))
        {
            data.Add(item.GetProperty("key").GetString()!, item.GetProperty("height").GetInt32());
        }

        return data;
    }

    public static TheoryData<string, string, int> CommonPrefixes()
    {
        var data = new TheoryData<string, string, int>();
        foreach (var item in ReadJson("common_prefix.json"))
        {
            data.Add(item.GetProperty("left").GetString()!, item.GetProperty("right").GetString()!, item.GetProperty("len").GetInt32());
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(KeyHeights))]
    public void Height_InteropKey_EqualsFixtureHeight(string key, int height)
    {
        MstKey.Height(key).ShouldBe(height);
    }

    [Theory]
    [MemberData(nameof(CommonPrefixes))]
    public void CommonPrefixLength_InteropPair_EqualsFixtureLength(string left, string right, int length)
    {
        MstKey.CommonPrefixLength(left, right).ShouldBe(length);
    }

    [Fact]
    public void Height_ExampleKeys_MatchTheirNamedLayer()
    {
        // The interop example keys are named <letter><height>/<digits>: A0/374913 lives on layer 0, B2/827649 on layer 2.
        var keys = SharedFixtures.ReadInteropLines("atproto-interop", "mst", "example_keys.txt").ToList();

        keys.Count.ShouldBeGreaterThan(100);
        foreach (var key in keys)
        {
            MstKey.Height(key).ShouldBe(key[1] - '0', key);
            MstKey.IsValid(key).ShouldBeTrue(key);
        }
    }

    [Theory]
    [InlineData("app.bsky.feed.post/3jzfcijpj2z2a")]
    [InlineData("a/b")]
    [InlineData("com.example.record/self")]
    [InlineData("coll/~odd:key-with_all.chars")]
    public void IsValid_WellFormedKey_ReturnsTrue(string key)
    {
        MstKey.IsValid(key).ShouldBeTrue();
    }

    [Theory]
    [InlineData("")]
    [InlineData("nocollection")]
    [InlineData("/rkey")]
    [InlineData("collection/")]
    [InlineData("a/b/c")]
    [InlineData("app.bsky.feed.post/with space")]
    [InlineData("app.bsky.feed.post/percent%20")]
    [InlineData("app.bsky.feed.post/ünïcode")]
    [InlineData("app.bsky.feed.post/hash#")]
    public void IsValid_MalformedKey_ReturnsFalse(string key)
    {
        MstKey.IsValid(key).ShouldBeFalse();
        Should.Throw<MstKeyException>(() => MstKey.Validate(key)).Key.ShouldBe(key);
    }

    [Fact]
    public void IsValid_KeyAtLengthLimit_AcceptsLimitRejectsOneMore()
    {
        var atLimit = "c/" + new string('x', MstKey.MaxLength - 2);
        var overLimit = atLimit + "x";

        MstKey.IsValid(atLimit).ShouldBeTrue();
        MstKey.IsValid(overLimit).ShouldBeFalse();
    }

    private static List<JsonElement> ReadJson(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(SharedFixtures.Path("atproto-interop", "mst", name)));
        return document.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }
}
