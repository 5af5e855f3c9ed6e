using System.Text;

namespace RecordKv.Coordination.Tests;

public sealed class LeaseRecordTests
{
    [Fact]
    public void Decode_Encoded_RoundTrips()
    {
        var record = new LeaseRecord("host-1\"x", 1_700_000_000_123);

        LeaseRecord.Decode(record.Encode()).ShouldBe(record);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("{\"holder\":5,\"expires\":\"x\"}")]
    [InlineData("{\"holder\":\"a\"")]
    public void Decode_NotALease_IsExpiredWithoutHolder(string json)
    {
        var record = LeaseRecord.Decode(Encoding.UTF8.GetBytes(json));

        record.IsExpired(0).ShouldBeTrue();
    }
}
