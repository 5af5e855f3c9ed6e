using RecordKv.Nats.JetStream;

namespace RecordKv.Nats.Tests.JetStream;

public sealed class NatsJsMsgMetadataTests
{
    [Fact]
    public void TryParse_LegacyNineTokens_ReadsEveryField()
    {
        NatsJsMsgMetadata.TryParse("$JS.ACK.ORDERS.worker.3.1042.17.1700000000123456789.5", out var metadata).ShouldBeTrue();

        metadata.Stream.ShouldBe("ORDERS");
        metadata.Consumer.ShouldBe("worker");
        metadata.NumDelivered.ShouldBe(3UL);
        metadata.StreamSequence.ShouldBe(1042UL);
        metadata.ConsumerSequence.ShouldBe(17UL);
        metadata.Timestamp.ShouldBe(DateTimeOffset.FromUnixTimeSeconds(1700000000).AddTicks(1234567));
        metadata.NumPending.ShouldBe(5UL);
        metadata.Domain.ShouldBeNull();
    }

    [Fact]
    public void TryParse_TwelveTokensWithDomain_ReadsDomainAndSkipsAccountHash()
    {
        NatsJsMsgMetadata.TryParse("$JS.ACK.hub.ACCHASH.ORDERS.worker.1.2.3.1700000000000000000.0.r4nd0m", out var metadata).ShouldBeTrue();

        metadata.Domain.ShouldBe("hub");
        metadata.Stream.ShouldBe("ORDERS");
        metadata.Consumer.ShouldBe("worker");
        metadata.NumDelivered.ShouldBe(1UL);
        metadata.StreamSequence.ShouldBe(2UL);
        metadata.ConsumerSequence.ShouldBe(3UL);
        metadata.NumPending.ShouldBe(0UL);
    }

    [Fact]
    public void TryParse_ElevenTokensWithUnderscoreDomain_HasNoDomain()
    {
        NatsJsMsgMetadata.TryParse("$JS.ACK._.ACCHASH.S.C.1.9.8.1700000000000000000.4", out var metadata).ShouldBeTrue();

        metadata.Domain.ShouldBeNull();
        metadata.StreamSequence.ShouldBe(9UL);
        metadata.ConsumerSequence.ShouldBe(8UL);
        metadata.NumPending.ShouldBe(4UL);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("_INBOX.abc.1")]
    [InlineData("$JS.ACK.S.C.1.2.3.4")]
    [InlineData("$JS.ACK.S.C.1.2.3.4.5.6")]
    [InlineData("$JS.ACK.S.C.x.2.3.4.5")]
    [InlineData("$JS.ACK.S.C.1.2.3.-4.5")]
    [InlineData("$JS.ACK.S..1.2.3.4.5")]
    [InlineData("$JS.ACK.d.h.S.C.1.2.3.4.5.6.7")]
    [InlineData("$JS.NAK.S.C.1.2.3.4.5")]
    public void TryParse_MalformedSubject_ReturnsFalse(string? replyTo)
    {
        NatsJsMsgMetadata.TryParse(replyTo, out _).ShouldBeFalse();
    }
}
