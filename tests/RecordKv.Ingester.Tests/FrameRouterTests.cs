using System.Text;
using RecordKv.Atproto.Cbor;
using RecordKv.Contracts;
using RecordKv.Testing;

namespace RecordKv.Ingester.Tests;

public sealed class FrameRouterTests
{
    private static readonly FrameRouter Router = new(new DidPartitioner(16));

    private static byte[] Frame(string headerJson, string bodyJson) =>
        [.. DagCborJson.FromJson(Encoding.UTF8.GetBytes(headerJson)), .. DagCborJson.FromJson(Encoding.UTF8.GetBytes(bodyJson))];

    [Theory]
    [InlineData(4621317030L)]
    [InlineData(4623075231L)]
    public void Route_RealCommit_PublishesToTheRepoPartition(long seq)
    {
        var body = File.ReadAllText(SharedFixtures.Path("real", "firehose", $"firehose_commit_{seq}.json"));
        var frame = Frame("{\"op\":1,\"t\":\"#commit\"}", body);
        var did = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("repo").GetString()!;

        var route = Router.Route(frame);

        route.ShouldBe(new FrameRoute(FrameKind.Publish, seq, did, new DidPartitioner(16).PartitionOf(did), "commit"));
    }

    [Theory]
    [InlineData("#identity", "identity")]
    [InlineData("#account", "account")]
    [InlineData("#sync", "sync")]
    public void Route_DidEvents_UseTheDidField(string type, string eventName)
    {
        var frame = Frame($"{{\"op\":1,\"t\":\"{type}\"}}", "{\"did\":\"did:plc:abc\",\"seq\":42,\"time\":\"2025-01-01T00:00:00Z\"}");

        var route = Router.Route(frame);

        route.Kind.ShouldBe(FrameKind.Publish);
        route.Seq.ShouldBe(42);
        route.Did.ShouldBe("did:plc:abc");
        route.EventName.ShouldBe(eventName);
    }

    [Fact]
    public void Route_Info_IsInfo()
    {
        Router.Route(Frame("{\"op\":1,\"t\":\"#info\"}", "{\"name\":\"OutdatedCursor\"}")).Kind.ShouldBe(FrameKind.Info);
    }

    [Fact]
    public void Route_ErrorFrame_IsError()
    {
        Router.Route(Frame("{\"op\":-1}", "{\"error\":\"FutureCursor\"}")).Kind.ShouldBe(FrameKind.Error);
    }

    [Fact]
    public void Route_UnknownTypeWithSeq_KeepsSeqForTheCursor()
    {
        var route = Router.Route(Frame("{\"op\":1,\"t\":\"#future\"}", "{\"seq\":77}"));

        route.ShouldBe(new FrameRoute(FrameKind.Unroutable, 77, null, 0, null));
    }

    [Theory]
    [InlineData("")]
    [InlineData("ff")]
    [InlineData("a1626f7001")]
    [InlineData("a2616f01617467236d6d6d6d6d6d")]
    [InlineData("01")]
    public void Route_Garbage_IsUnroutable(string hex)
    {
        Router.Route(Convert.FromHexString(hex)).Kind.ShouldBe(FrameKind.Unroutable);
    }

    [Theory]
    [InlineData("{\"seq\":5}")]
    [InlineData("{\"repo\":\"did:plc:x\"}")]
    [InlineData("{\"repo\":\"did:plc:x\",\"seq\":\"5\"}")]
    [InlineData("{\"repo\":7,\"seq\":5}")]
    public void Route_CommitWithoutSeqOrDid_IsUnroutable(string body)
    {
        Router.Route(Frame("{\"op\":1,\"t\":\"#commit\"}", body)).Kind.ShouldBe(FrameKind.Unroutable);
    }
}
