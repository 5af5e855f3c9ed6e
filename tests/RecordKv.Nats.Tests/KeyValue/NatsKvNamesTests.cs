using RecordKv.Nats.KeyValue;

namespace RecordKv.Nats.Tests.KeyValue;

public sealed class NatsKvNamesTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("13.app.bsky.feed.like.did/3Aplc/3Aabc.x/7Ey/3Az")]
    [InlineData("A-b_c=d/e")]
    [InlineData("ingest.cursor.relay1")]
    public void IsValidKey_Valid_ReturnsTrue(string key)
    {
        NatsKvNames.IsValidKey(key).ShouldBeTrue();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(".a")]
    [InlineData("a.")]
    [InlineData("a..b")]
    [InlineData("a b")]
    [InlineData("a*")]
    [InlineData("a.*")]
    [InlineData("a.>")]
    [InlineData("caf\u00e9")]
    [InlineData("a:b")]
    [InlineData("a~b")]
    public void IsValidKey_Invalid_ReturnsFalse(string? key)
    {
        NatsKvNames.IsValidKey(key).ShouldBeFalse();
    }

    [Theory]
    [InlineData(">")]
    [InlineData("*")]
    [InlineData("a.*.c")]
    [InlineData("a.b.>")]
    [InlineData("plain.key")]
    public void IsValidKeyFilter_Valid_ReturnsTrue(string filter)
    {
        NatsKvNames.IsValidKeyFilter(filter).ShouldBeTrue();
    }

    [Theory]
    [InlineData("")]
    [InlineData(">.a")]
    [InlineData("a*.b")]
    [InlineData("a.>b")]
    [InlineData("a..*")]
    public void IsValidKeyFilter_Invalid_ReturnsFalse(string filter)
    {
        NatsKvNames.IsValidKeyFilter(filter).ShouldBeFalse();
    }

    [Theory]
    [InlineData("record", true)]
    [InlineData("Repo_state-2", true)]
    [InlineData("", false)]
    [InlineData("a.b", false)]
    [InlineData("a b", false)]
    [InlineData("a*", false)]
    public void IsValidBucketName_Table_Matches(string bucket, bool valid)
    {
        NatsKvNames.IsValidBucketName(bucket).ShouldBe(valid);
    }
}
