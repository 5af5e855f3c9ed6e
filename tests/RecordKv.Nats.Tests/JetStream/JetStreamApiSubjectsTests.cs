using RecordKv.Nats.JetStream;

namespace RecordKv.Nats.Tests.JetStream;

public sealed class JetStreamApiSubjectsTests
{
    [Theory]
    [InlineData(null, null, "$JS.API.STREAM.INFO.S")]
    [InlineData("$JS.hub.API", null, "$JS.hub.API.STREAM.INFO.S")]
    [InlineData("x.API.", null, "x.API.STREAM.INFO.S")]
    [InlineData("ignored", "leaf", "$JS.leaf.API.STREAM.INFO.S")]
    public void StreamInfo_PrefixOrDomain_BuildsAdr15Subject(string? prefix, string? domain, string expected)
    {
        new JetStreamApiSubjects(prefix, domain).StreamInfo("S").ShouldBe(expected);
    }

    [Fact]
    public void ConsumerSubjects_Default_MatchServerApi()
    {
        var subjects = new JetStreamApiSubjects(null, null);

        subjects.ConsumerCreate("S", null).ShouldBe("$JS.API.CONSUMER.CREATE.S");
        subjects.ConsumerCreate("S", "C").ShouldBe("$JS.API.CONSUMER.CREATE.S.C");
        subjects.ConsumerNext("S", "C").ShouldBe("$JS.API.CONSUMER.MSG.NEXT.S.C");
        subjects.DirectGet("KV_b").ShouldBe("$JS.API.DIRECT.GET.KV_b");
        subjects.StreamMsgGet("S").ShouldBe("$JS.API.STREAM.MSG.GET.S");
    }
}
