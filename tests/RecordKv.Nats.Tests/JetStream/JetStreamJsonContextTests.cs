using System.Text;
using System.Text.Json;
using RecordKv.Nats.JetStream;

namespace RecordKv.Nats.Tests.JetStream;

public sealed class JetStreamJsonContextTests
{
    [Fact]
    public void Serialize_StreamConfig_WritesSnakeCaseNanosecondsAndOmitsNulls()
    {
        var config = new StreamConfig
        {
            Name = "KV_b",
            Subjects = ["$KV.b.>"],
            MaxAge = TimeSpan.FromSeconds(90),
            DuplicateWindow = TimeSpan.FromMinutes(2),
            Discard = StreamDiscardPolicy.New,
            Storage = StreamStorageType.Memory,
            AllowRollupHdrs = true,
        };

        var json = JsonSerializer.Serialize(config, JetStreamJsonContext.Default.StreamConfig);

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        root.GetProperty("name").GetString().ShouldBe("KV_b");
        root.GetProperty("max_age").GetInt64().ShouldBe(90_000_000_000L);
        root.GetProperty("duplicate_window").GetInt64().ShouldBe(120_000_000_000L);
        root.GetProperty("discard").GetString().ShouldBe("new");
        root.GetProperty("storage").GetString().ShouldBe("memory");
        root.GetProperty("retention").GetString().ShouldBe("limits");
        root.GetProperty("allow_rollup_hdrs").GetBoolean().ShouldBeTrue();
        root.GetProperty("max_msgs_per_subject").GetInt64().ShouldBe(-1L);
        root.TryGetProperty("description", out _).ShouldBeFalse();
        root.TryGetProperty("placement", out _).ShouldBeFalse();
    }

    [Fact]
    public void Serialize_ConsumerConfig_WritesPolicyWireNames()
    {
        var config = new ConsumerConfig
        {
            DurableName = "d",
            DeliverPolicy = ConsumerDeliverPolicy.ByStartSequence,
            OptStartSeq = 7,
            AckWait = TimeSpan.FromMilliseconds(1500),
            InactiveThreshold = TimeSpan.FromMinutes(5),
        };

        var json = JsonSerializer.Serialize(config, JetStreamJsonContext.Default.ConsumerConfig);

        json.ShouldContain("\"deliver_policy\":\"by_start_sequence\"");
        json.ShouldContain("\"opt_start_seq\":7");
        json.ShouldContain("\"ack_policy\":\"explicit\"");
        json.ShouldContain("\"ack_wait\":1500000000");
        json.ShouldContain("\"inactive_threshold\":300000000000");
        json.ShouldNotContain("filter_subject");
        json.ShouldNotContain("null");
    }

    [Fact]
    public void Deserialize_ServerStreamInfo_ReadsConfigStateAndCluster()
    {
        // Shape of a nats-server 2.9 STREAM.INFO answer.
        const string json = """
            {"type":"io.nats.jetstream.api.v1.stream_info_response","total":0,"offset":0,"limit":0,
             "config":{"name":"S","subjects":["s.>"],"retention":"limits","max_consumers":-1,"max_msgs":-1,"max_bytes":-1,
               "max_age":0,"max_msgs_per_subject":5,"max_msg_size":-1,"discard":"new","storage":"file","num_replicas":3,
               "duplicate_window":120000000000,"allow_direct":true,"mirror_direct":false,"sealed":false,"deny_delete":true,
               "deny_purge":false,"allow_rollup_hdrs":true},
             "created":"2026-11-22T00:00:00.123456789Z",
             "state":{"messages":3,"bytes":120,"first_seq":1,"first_ts":"2026-11-22T00:00:01Z","last_seq":3,
               "last_ts":"2026-11-22T00:00:02Z","num_subjects":2,"consumer_count":1},
             "cluster":{"name":"c","leader":"n1","replicas":[{"name":"n2","current":true,"active":1500000,"lag":0}]}}
            """;

        var info = JsonSerializer.Deserialize(Encoding.UTF8.GetBytes(json), JetStreamJsonContext.Default.StreamInfo)!;

        info.Config.MaxMsgsPerSubject.ShouldBe(5L);
        info.Config.Discard.ShouldBe(StreamDiscardPolicy.New);
        info.Config.DuplicateWindow.ShouldBe(TimeSpan.FromMinutes(2));
        info.Config.AllowDirect.ShouldBeTrue();
        info.State.Messages.ShouldBe(3UL);
        info.State.LastSeq.ShouldBe(3UL);
        info.Cluster!.Leader.ShouldBe("n1");
        info.Cluster.Replicas![0].Active.ShouldBe(TimeSpan.FromMilliseconds(1.5));
    }

    [Fact]
    public void Deserialize_ApiError_ReadsCodes()
    {
        const string json = """{"type":"x","error":{"code":404,"err_code":10059,"description":"stream not found"}}""";

        var response = JsonSerializer.Deserialize(Encoding.UTF8.GetBytes(json), JetStreamJsonContext.Default.ApiErrorResponse)!;

        response.Error!.Code.ShouldBe(404);
        response.Error.ErrCode.ShouldBe(10059);
        response.Error.Description.ShouldBe("stream not found");
    }
}
